import type { ExtractedFact } from '../ports/memory-records.ts';

const END = String.raw`([^.,!?;\n]{1,60})`;

/**
 * Durable facts a user states about themselves, found by fixed patterns: "my X is Y", "I live
 * in Z", "I am a/an W", "I'm N years old", "I like V". What the offline model's reflection
 * uses, so remembering works with no keys; a real model extracts far more.
 *
 * @example patternFacts('My favourite colour is teal', 'Sam') // [{ key: 'favourite_colour', value: 'teal', text: "Sam's favourite colour is teal" }]
 */
export function patternFacts(message: string, userName = 'The user'): ExtractedFact[] {
  const facts: ExtractedFact[] = [];
  const add = (key: string | undefined, value: string, text: string) => {
    const v = value.trim().replace(/\s+/g, ' ');
    if (v) facts.push({ ...(key ? { key } : {}), value: v, text: text.replace('{}', v) });
  };
  for (const m of message.matchAll(
    new RegExp(String.raw`\bmy ([a-z][a-z' ]{0,40}?) (is|are|was) ${END}`, 'gi'),
  )) {
    const subject = m[1]!.toLowerCase().trim();
    add(subject.replace(/[^a-z0-9]+/g, '_'), m[3]!, `${userName}'s ${subject} ${m[2]!.toLowerCase()} {}`);
  }
  for (const m of message.matchAll(new RegExp(String.raw`\bI live in ${END}`, 'gi'))) {
    add('home', m[1]!, `${userName} lives in {}`);
  }
  for (const m of message.matchAll(new RegExp(String.raw`\bI(?: am|'m) (\d{1,3}) years? old`, 'gi'))) {
    add('age', m[1]!, `${userName} is {} years old`);
  }
  for (const m of message.matchAll(new RegExp(String.raw`\bI(?: am|'m) (?:a|an) ${END}`, 'gi'))) {
    add('occupation', m[1]!, `${userName} is a {}`);
  }
  for (const m of message.matchAll(
    new RegExp(String.raw`\bI(?: really)? (?:like|love|enjoy) ${END}`, 'gi'),
  )) {
    add(undefined, m[1]!, `${userName} likes {}`);
  }
  return facts;
}

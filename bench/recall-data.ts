import { seeded } from './memory-data.ts';
import { FILLER, type Line, type Topic } from './recall-topics.ts';
import { LEISURE_TOPICS } from './recall-topics-leisure.ts';
import { LIFE_TOPICS } from './recall-topics-life.ts';
import { whenPhrase } from './recall-when.ts';

/**
 * The recall bench's data, made here from one seed: multi-session chats between each user and
 * the agent (Ada), dated back from `now`, and questions whose evidence is one to three earlier
 * turns. Several users share the agent, and their lives rhyme (everyone adopts pets and goes on
 * trips), so a question only finds its evidence by who and when as well as by what.
 */
export interface BenchTurn {
  sourceId: string;
  userId: string;
  roomId: string;
  role: 'user' | 'assistant';
  /** The user's name on their own turns (as StoreMemory stores it); none on the agent's. */
  name?: string;
  text: string;
  createdAt: string;
  /** Which event a turn tells, for the fake embedder; none for small talk. */
  event?: string;
  topic?: string;
}

export interface BenchQuestion {
  userId: string;
  text: string;
  evidence: string[];
  kind: 'paraphrase' | 'answer' | 'multi' | 'direct' | 'temporal';
  event: string;
  topic: string;
}

export interface RecallData {
  agentId: string;
  turns: BenchTurn[];
  knowledge: Array<{ sourceId: string; text: string }>;
  questions: BenchQuestion[];
}

const TOPICS = [...LIFE_TOPICS, ...LEISURE_TOPICS];

const NAMES = (
  'Maya Jonah Priya Tomasz Aiko Dev Sofia Kwame Elena Mateo Ingrid Ravi Chloe Olu Hana Felix Amara Luca ' +
  'Noor Sven Imani Diego Freya Kenji Zara Omar Greta Tariq Lucia Bram Yara Idris Nadia Emil Leila Arjun ' +
  'Mila Theo Ayesha Rafael Sunita Hugo Esme Kofi Ines Viktor Lina Bastian Keiko Malik Astrid Pablo Zuri ' +
  'Oskar Leona Anders Dalia Ezra Mirela Samir'
).split(' ');

/**
 * About `size` turns: users are added until there are that many. Each user has `sessions`
 * sessions, a few days apart, the last one or two days before `now`.
 */
export function recallData(options: { size: number; sessions: number; seed: number; now: Date }): RecallData {
  const random = seeded(options.seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;
  const today = Date.UTC(options.now.getUTCFullYear(), options.now.getUTCMonth(), options.now.getUTCDate());
  const data: RecallData = { agentId: 'ada', turns: [], knowledge: [], questions: [] };
  for (let i = 0; data.turns.length < options.size; i++) {
    const name = NAMES[i % NAMES.length]! + (i >= NAMES.length ? ` ${Math.floor(i / NAMES.length) + 1}` : '');
    const userId = `bench-user-${i}`;
    const roomId = `dm-${i}`;
    const fill = (s: string, slots: Record<string, string>) =>
      s.replace(/\{(\w+)\}/g, (_, k: string) => (k === 'n' ? name.split(' ')[0]! : (slots[k] ?? `{${k}}`)));
    let day = today - (1 + Math.floor(random() * 2)) * 86_400_000;
    const dayList: number[] = [];
    for (let s = 0; s < options.sessions; s++) {
      dayList.unshift(day);
      day -= (3 + Math.floor(random() * 7)) * 86_400_000;
    }
    for (const [s, sessionDay] of dayList.entries()) {
      let at = sessionDay + (17 * 60 + Math.floor(random() * 180)) * 60_000;
      let n = 0;
      const say = (line: Line, slots: Record<string, string>, event?: { id: string; topic: string }) => {
        at += (40 + Math.floor(random() * 80)) * 1000;
        const turn: BenchTurn = {
          sourceId: `bench:${userId}:${s}:${n++}`,
          userId,
          roomId,
          role: line.by === 'user' ? 'user' : 'assistant',
          ...(line.by === 'user' ? { name } : {}),
          text: fill(line.text, slots),
          createdAt: new Date(at).toISOString(),
          ...(event ? { event: event.id, topic: event.topic } : {}),
        };
        data.turns.push(turn);
        return turn;
      };
      const chat = (lines: Line[]) => lines.forEach((l) => say(l, {}));
      chat(pick(FILLER));
      for (let e = 0; e < 2; e++) {
        const topic = pick(TOPICS);
        const slots = pick(topic.slots);
        const event = { id: `${userId}:${s}:${e}`, topic: topic.id };
        const keyed = new Map<string, string>();
        for (const line of pick(topic.tellings)) {
          const turn = say(line, slots, event);
          if (line.key) keyed.set(line.key, turn.sourceId);
        }
        ask(data, topic, keyed, slots, { userId, event, fill, random });
        const when = whenPhrase(sessionDay, today, random);
        if (when && random() < 0.5) {
          data.questions.push({
            userId,
            text: fill(topic.temporal.text.replace('{when}', when), slots),
            evidence: topic.temporal.evidence.map((k) => keyed.get(k)!).filter(Boolean),
            kind: 'temporal',
            event: event.id,
            topic: topic.id,
          });
        }
        if (random() < 0.6) chat(pick(FILLER));
      }
      chat(pick(FILLER));
    }
  }
  for (let k = 0; k < Math.round(options.size / 20); k++) {
    const topic = pick(TOPICS);
    const slots = pick(topic.slots);
    const words = Object.values(slots).join(', ');
    data.knowledge.push({
      sourceId: `bench:knowledge:${k}`,
      text: `Ada's notes on ${topic.id}: people often mention ${words}. ${pick(FILLER)[0]!.text.replace('{n}', 'friend')}.`,
    });
  }
  return data;
}

const DIRECT = [
  'What did {n} say about {v}?',
  'What was the story with {v}?',
  'Remind me what {n} told you about {v}',
  'Anything from {n} about {v}?',
];

/** One or two of the topic's questions about this event, with its evidence turns. */
function ask(
  data: RecallData,
  topic: Topic,
  keyed: Map<string, string>,
  slots: Record<string, string>,
  ctx: {
    userId: string;
    event: { id: string; topic: string };
    fill: (s: string, slots: Record<string, string>) => string;
    random: () => number;
  },
): void {
  const chosen = topic.questions.filter(() => ctx.random() < 0.5);
  // A question naming something the user said, as most questions do ("what did Maya say about Lisbon?").
  const line = [...keyed.entries()][Math.floor(ctx.random() * keyed.size)];
  const anchor =
    line &&
    Object.values(slots).find((v) => data.turns.find((t) => t.sourceId === line[1])?.text.includes(v));
  if (line && anchor && ctx.random() < 0.7) {
    const text = DIRECT[Math.floor(ctx.random() * DIRECT.length)]!.replace(
      '{v}',
      anchor.replace(/^(a|an|the) /, ''),
    );
    chosen.push({ text, evidence: [line[0]], kind: 'direct' });
  }
  for (const q of chosen) {
    const evidence = q.evidence.map((k) => keyed.get(k)).filter((id): id is string => Boolean(id));
    if (!evidence.length) continue;
    data.questions.push({
      userId: ctx.userId,
      text: ctx.fill(q.text, slots),
      evidence: [...new Set(evidence)],
      kind: q.kind,
      event: ctx.event.id,
      topic: ctx.event.topic,
    });
  }
}

/**
 * What the recall bench's users talk about. A topic is told in one of its tellings (a few turns,
 * some of them the evidence, keyed a/b/c) and asked about in words of its own: questions are
 * written to share few words with what they ask for, as people rephrase what they heard.
 * `{x}` is a slot, filled per event from `slots` (one row of values per event); `{n}` is the
 * user's name; `{when}` (temporal questions) says when the telling's session was.
 */
export interface Line {
  by: 'user' | 'agent';
  text: string;
  /** Set on evidence lines: questions name their evidence by these keys. */
  key?: string;
}

export interface Question {
  text: string;
  evidence: string[];
  /**
   * direct: shares a telling word with the evidence; paraphrase: the evidence says it in other
   * words; answer: the evidence is a short reply to a question; multi: two evidence turns.
   */
  kind: 'paraphrase' | 'answer' | 'multi' | 'direct';
}

export interface Topic {
  id: string;
  slots: Array<Record<string, string>>;
  tellings: Line[][];
  questions: Question[];
  /** Asked with `{when}`; its evidence keys. */
  temporal: Question;
}

export const u = (text: string, key?: string): Line => ({ by: 'user', text, ...(key ? { key } : {}) });
export const a = (text: string): Line => ({ by: 'agent', text });

/** What either side says that is no one's evidence: greetings, small talk, near misses. */
export const FILLER: Line[][] = [
  [u('Hey Ada, how’s it going?'), a('Hi {n}! Good to hear from you. How are you?')],
  [u('Pretty tired today honestly'), a('Long week? Be kind to yourself.')],
  [u('haha yeah'), a('😄')],
  [u('Anyway, enough about me'), a('I always like hearing about your day.')],
  [u('The weather has been grim all week'), a('Grey skies do get to you. Anything cosy planned?')],
  [u('My neighbour’s dog barked all night again'), a('That sounds exhausting.')],
  [u('I keep meaning to read more but I just scroll my phone'), a('Same trap for many people!')],
  [u('Work has been so busy lately'), a('I hope you get a break soon.')],
  [u('Had pizza for dinner, zero regrets'), a('Good choice.')],
  [
    u('Thinking about planning a trip somewhere warm'),
    a('Anywhere in mind?'),
    u('Not yet, just daydreaming'),
  ],
  [u('My back hurts from sitting all day'), a('Maybe a short walk would help?')],
  [u('I watched a documentary about Japan last night'), a('Was it good?'), u('It was ok')],
  [u('Do you ever get bored?'), a('Never when we are chatting!')],
  [u('Gotta go, talk later!'), a('Bye {n}, take care!')],
  [u('Thanks for listening'), a('Any time.')],
  [u('I should really clean the flat this weekend'), a('Put some music on, it helps.')],
  [u('My friend’s cat knocked over my coffee'), a('Cats have no shame.')],
  [
    u('Did I tell you my phone screen cracked?'),
    a('No! Can it be fixed?'),
    u('Probably, it’s just annoying'),
  ],
];

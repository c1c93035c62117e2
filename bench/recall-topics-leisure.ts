import { a, u, type Topic } from './recall-topics.ts';

/** Pastimes and mishaps the recall bench’s users tell: shows, cooking, races, books, illness, gardens, cars, films. */
export const LEISURE_TOPICS: Topic[] = [
  {
    id: 'concert',
    slots: [
      { act: 'Florence and the Machine', venue: 'the arena', moment: 'she ran through the crowd' },
      { act: 'a jazz trio', venue: 'a basement bar', moment: 'the drummer did a ten minute solo' },
      { act: 'the city orchestra', venue: 'the old opera house', moment: 'they played Dvořák’s ninth' },
    ],
    tellings: [
      [
        u('Saw {act} live at {venue} last night', 'a'),
        a('Jealous! Best moment?'),
        u('When {moment}. Goosebumps.', 'b'),
      ],
      [
        a('Did you make it to the show?'),
        u('We did! {act}, at {venue}', 'a'),
        u('The bit where {moment} was unforgettable', 'b'),
      ],
    ],
    questions: [
      { text: 'Which performance did {n} attend?', evidence: ['a'], kind: 'paraphrase' },
      { text: 'What was the highlight of the gig for {n}?', evidence: ['b'], kind: 'answer' },
      { text: 'Who did {n} watch perform and where?', evidence: ['a'], kind: 'paraphrase' },
    ],
    temporal: { text: 'What music event did {n} go to {when}?', evidence: ['a'], kind: 'paraphrase' },
  },
  {
    id: 'cooking',
    slots: [
      { dish: 'homemade ramen', secret: 'a twelve hour pork broth', guests: 'my in-laws' },
      { dish: 'a lemon drizzle cake', secret: 'extra zest and a pinch of salt', guests: 'the book club' },
      { dish: 'vegan lasagne', secret: 'cashew béchamel', guests: 'my roommates' },
    ],
    tellings: [
      [
        u('Made {dish} for {guests} tonight', 'a'),
        a('Yum! How did it turn out?'),
        u('Everyone asked for seconds. The trick is {secret}.', 'b'),
      ],
      [
        a('What are you cooking this weekend?'),
        u('Attempting {dish}, {guests} are coming over', 'a'),
        a('Any secret ingredient?'),
        u('{secret}', 'b'),
      ],
    ],
    questions: [
      { text: 'What meal did {n} prepare for guests?', evidence: ['a'], kind: 'paraphrase' },
      { text: 'What is {n}’s tip for that recipe?', evidence: ['b'], kind: 'answer' },
      { text: 'Who did {n} host for dinner?', evidence: ['a'], kind: 'paraphrase' },
    ],
    temporal: { text: 'What did {n} cook {when}?', evidence: ['a'], kind: 'paraphrase' },
  },
  {
    id: 'race',
    slots: [
      { event: 'the city half marathon', time: 'one hour fifty-two', next: 'a full marathon in the autumn' },
      { event: 'a 10k trail race', time: '58 minutes', next: 'an ultra next year' },
      { event: 'a charity triathlon', time: 'just under three hours', next: 'an Ironman one day' },
    ],
    tellings: [
      [
        u('I finished {event}!!', 'a'),
        a('Incredible! What was your time?'),
        u('{time}', 'b'),
        u('Already eyeing {next}', 'c'),
      ],
      [
        a('How did the race go?'),
        u('Crossed the line at {event} in {time}', 'a'),
        a('So proud of you. What next?'),
        u('Thinking about {next}', 'b'),
      ],
    ],
    questions: [
      { text: 'What athletic competition did {n} complete?', evidence: ['a'], kind: 'paraphrase' },
      { text: 'How fast did {n} run it?', evidence: ['b', 'a'], kind: 'answer' },
      { text: 'What is {n}’s next goal in running?', evidence: ['c', 'b'], kind: 'answer' },
    ],
    temporal: {
      text: 'What sporting event did {n} take part in {when}?',
      evidence: ['a'],
      kind: 'paraphrase',
    },
  },
  {
    id: 'book',
    slots: [
      { title: 'Piranesi', author: 'Susanna Clarke', verdict: 'strange and beautiful' },
      { title: 'The Remains of the Day', author: 'Kazuo Ishiguro', verdict: 'quietly devastating' },
      { title: 'Project Hail Mary', author: 'Andy Weir', verdict: 'nerdy and hilarious' },
    ],
    tellings: [
      [
        u('Just finished {title} by {author}', 'a'),
        a('Ooh, what did you think?'),
        u('{verdict}, I stayed up till 2am', 'b'),
      ],
      [a('Reading anything good?'), u('{title}! It’s {verdict}.', 'a')],
    ],
    questions: [
      { text: 'What novel did {n} read?', evidence: ['a'], kind: 'paraphrase' },
      { text: 'What was {n}’s opinion of {title}?', evidence: ['b', 'a'], kind: 'answer' },
      { text: 'Which author has {n} been into?', evidence: ['a'], kind: 'paraphrase' },
    ],
    temporal: { text: 'What book was {n} into {when}?', evidence: ['a'], kind: 'paraphrase' },
  },
  {
    id: 'illness',
    slots: [
      { bug: 'the flu', days: 'three days', helper: 'my roommate brought soup' },
      { bug: 'a nasty stomach bug', days: 'the whole weekend', helper: 'mum dropped off ginger tea' },
      { bug: 'covid', days: 'a week', helper: 'the neighbours did my groceries' },
    ],
    tellings: [
      [
        u('Been in bed with {bug} for {days}', 'a'),
        a('Oh no, I hope someone is looking after you'),
        u('Yes, {helper}', 'b'),
      ],
      [a('Feeling better?'), u('Slowly. {bug} knocked me out for {days}.', 'a'), u('Luckily {helper}', 'b')],
    ],
    questions: [
      { text: 'What was {n} sick with?', evidence: ['a'], kind: 'paraphrase' },
      { text: 'Who took care of {n} while she was ill?', evidence: ['b'], kind: 'answer' },
      { text: 'How long was {n} unwell?', evidence: ['a'], kind: 'paraphrase' },
    ],
    temporal: { text: 'What illness did {n} have {when}?', evidence: ['a'], kind: 'paraphrase' },
  },
  {
    id: 'garden',
    slots: [
      { crop: 'tomatoes', trouble: 'snails ate half the seedlings', fix: 'copper tape around the beds' },
      { crop: 'strawberries', trouble: 'the birds got to them first', fix: 'a net over the patch' },
      { crop: 'chillies', trouble: 'aphids everywhere', fix: 'spraying them with soapy water' },
    ],
    tellings: [
      [
        u('My {crop} are finally coming up on the allotment', 'a'),
        a('Lovely! Any problems?'),
        u('{trouble}', 'b'),
        a('Oh no! What are you trying?'),
        u('{fix}', 'c'),
      ],
    ],
    questions: [
      { text: 'What vegetables or fruit is {n} growing?', evidence: ['a'], kind: 'paraphrase' },
      { text: 'What pest trouble did {n} have with her plants?', evidence: ['b'], kind: 'answer' },
      { text: 'How is {n} protecting her harvest?', evidence: ['c', 'b'], kind: 'answer' },
    ],
    temporal: { text: 'What was happening in {n}’s garden {when}?', evidence: ['a'], kind: 'paraphrase' },
  },
  {
    id: 'car',
    slots: [
      { car: 'old Volvo', problem: 'the clutch went', cost: '800 to repair' },
      { car: 'hatchback', problem: 'someone reversed into it', cost: 'a new bumper' },
      { car: 'van', problem: 'it wouldn’t start in the cold', cost: 'a new battery' },
    ],
    tellings: [
      [
        u('My {car} is in the shop again, {problem}', 'a'),
        a('That is annoying. Is it expensive?'),
        u('{cost}, ugh', 'b'),
      ],
    ],
    questions: [
      { text: 'What went wrong with {n}’s vehicle?', evidence: ['a'], kind: 'paraphrase' },
      { text: 'What did the mechanic charge {n} for?', evidence: ['b'], kind: 'answer' },
    ],
    temporal: { text: 'What trouble did {n} have {when}?', evidence: ['a'], kind: 'paraphrase' },
  },
  {
    id: 'film',
    slots: [
      { film: 'Dune Part Two', with: 'my dad', thought: 'the sound made my seat shake' },
      { film: 'Past Lives', with: 'my best friend', thought: 'we both cried at the end' },
      { film: 'a Studio Ghibli double bill', with: 'my niece', thought: 'she loved the soot sprites' },
    ],
    tellings: [[u('Went to see {film} with {with}', 'a'), a('How was it?'), u('{thought}', 'b')]],
    questions: [
      { text: 'Which movie did {n} watch at the cinema?', evidence: ['a'], kind: 'paraphrase' },
      { text: 'What was {n}’s reaction to the screening?', evidence: ['b'], kind: 'answer' },
      { text: 'Who went to the pictures with {n}?', evidence: ['a'], kind: 'paraphrase' },
    ],
    temporal: { text: 'What did {n} see at the cinema {when}?', evidence: ['a'], kind: 'paraphrase' },
  },
];

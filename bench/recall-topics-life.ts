import { a, u, type Topic } from './recall-topics.ts';

/** Life events the recall bench’s users tell: pets, trips, jobs, injuries, hobbies, family, purchases, moves. */
export const LIFE_TOPICS: Topic[] = [
  {
    id: 'pet',
    slots: [
      { kind: 'dog', breed: 'beagle', young: 'puppy', pet: 'Biscuit' },
      { kind: 'cat', breed: 'tabby', young: 'kitten', pet: 'Pepper' },
      { kind: 'dog', breed: 'corgi', young: 'pup', pet: 'Waffles' },
      { kind: 'rabbit', breed: 'lop-eared', young: 'bunny', pet: 'Clover' },
    ],
    tellings: [
      [
        a('How did the visit to the shelter go?'),
        u('We came home with a {breed} {young}! Still can’t believe it.', 'a'),
        a('Congratulations! What did you call the little one?'),
        u('{pet}. My nephew picked it.', 'b'),
      ],
      [
        u('Big news, we adopted a little {breed} {young} on Saturday', 'a'),
        a('Oh wow, does the {young} have a name yet?'),
        u('{pet}!', 'b'),
      ],
    ],
    questions: [
      { text: 'What kind of animal did {n} get?', evidence: ['a'], kind: 'paraphrase' },
      { text: 'What is the name of {n}’s {kind}?', evidence: ['b'], kind: 'answer' },
      {
        text: 'Which breed is the pet {n} took in, and what is it called?',
        evidence: ['a', 'b'],
        kind: 'multi',
      },
    ],
    temporal: { text: 'Which animal did {n} bring home {when}?', evidence: ['a'], kind: 'paraphrase' },
  },
  {
    id: 'trip',
    slots: [
      { city: 'Lisbon', country: 'Portugal', food: 'custard tarts', sight: 'the tiled old town' },
      { city: 'Kyoto', country: 'Japan', food: 'matcha ice cream', sight: 'the bamboo forest' },
      { city: 'Oaxaca', country: 'Mexico', food: 'mole', sight: 'the market stalls' },
      { city: 'Edinburgh', country: 'Scotland', food: 'shortbread', sight: 'the castle on the hill' },
    ],
    tellings: [
      [
        u('Just got back from {city}, what a week', 'a'),
        a('Welcome back! What was the highlight?'),
        u('Honestly the {food}. I had them every single morning.', 'b'),
        u('And wandering around {sight} at sunset.', 'c'),
      ],
      [
        a('Are you all packed?'),
        u('Yep, flying out to {city} tonight for a few days', 'a'),
        a('Have the best time. Try the local food!'),
        u('Top of my list is {food}, everyone says it’s unreal', 'b'),
      ],
    ],
    questions: [
      { text: 'Where did {n} travel to on vacation?', evidence: ['a'], kind: 'paraphrase' },
      { text: 'What did {n} love eating while abroad in {country}?', evidence: ['b'], kind: 'answer' },
      {
        text: 'Which city in {country} did {n} visit and what treat did she rave about?',
        evidence: ['a', 'b'],
        kind: 'multi',
      },
    ],
    temporal: { text: 'Where did {n} go {when}?', evidence: ['a'], kind: 'paraphrase' },
  },
  {
    id: 'job',
    slots: [
      { role: 'product designer', company: 'a small fintech startup', boss: 'Renata' },
      { role: 'nurse', company: 'the children’s hospital downtown', boss: 'Dr. Okafor' },
      { role: 'data analyst', company: 'an insurance firm', boss: 'Marcus' },
      { role: 'sous chef', company: 'a bistro near the river', boss: 'Chef Laurent' },
    ],
    tellings: [
      [
        u('I got the offer!! Starting as a {role} at {company} next month', 'a'),
        a('That is fantastic news, you worked so hard for it.'),
        u('My new manager is {boss}, she seems lovely', 'b'),
      ],
      [
        a('How was the interview?'),
        u('They hired me on the spot. {role}, at {company}.', 'a'),
        a('Amazing! Who will you report to?'),
        u('{boss}', 'b'),
      ],
    ],
    questions: [
      { text: 'What position did {n} accept?', evidence: ['a'], kind: 'paraphrase' },
      { text: 'Who is {n}’s boss at the new job?', evidence: ['b'], kind: 'answer' },
      { text: 'Where does {n} work now and who supervises her?', evidence: ['a', 'b'], kind: 'multi' },
    ],
    temporal: { text: 'What career news did {n} share {when}?', evidence: ['a'], kind: 'paraphrase' },
  },
  {
    id: 'injury',
    slots: [
      { part: 'ankle', how: 'slipped on the stairs', treat: 'a brace for six weeks' },
      { part: 'wrist', how: 'fell off my bike', treat: 'a cast until spring' },
      { part: 'knee', how: 'twisted it playing five-a-side', treat: 'physio twice a week' },
    ],
    tellings: [
      [
        u('Ugh, I {how} and sprained my {part}', 'a'),
        a('Oh no! Did you see someone about it?'),
        u('Urgent care put me in {treat}', 'b'),
      ],
      [
        a('You sound down today, what happened?'),
        u('Hurt my {part} yesterday, I {how}.', 'a'),
        a('Ouch. What did the doctor say?'),
        u('{treat}, apparently', 'b'),
      ],
    ],
    questions: [
      { text: 'How did {n} get injured?', evidence: ['a'], kind: 'paraphrase' },
      { text: 'What treatment was {n} given for the injury?', evidence: ['b'], kind: 'answer' },
      {
        text: 'Which body part did {n} hurt, and what did the clinic prescribe?',
        evidence: ['a', 'b'],
        kind: 'multi',
      },
    ],
    temporal: { text: 'What accident did {n} have {when}?', evidence: ['a'], kind: 'paraphrase' },
  },
  {
    id: 'hobby',
    slots: [
      { craft: 'pottery', place: 'a studio on Elm Street', made: 'a wonky blue mug' },
      { craft: 'bouldering', place: 'the climbing gym by the station', made: 'my first V3' },
      { craft: 'watercolour', place: 'the community centre', made: 'a painting of the harbour' },
      { craft: 'salsa', place: 'a dance school in town', made: 'a full routine without tripping' },
    ],
    tellings: [
      [
        u('I signed up for a {craft} class at {place}', 'a'),
        a('Ooh, how was the first session?'),
        u('So fun. I managed {made}!', 'b'),
      ],
      [
        a('Have you been keeping busy?'),
        u('Started {craft} lessons, every Tuesday evening', 'a'),
        u('Last time I finished {made}', 'b'),
      ],
    ],
    questions: [
      { text: 'What new pastime did {n} pick up?', evidence: ['a'], kind: 'paraphrase' },
      { text: 'What did {n} accomplish in her {craft} course?', evidence: ['b'], kind: 'answer' },
      {
        text: 'Where does {n} take lessons and what has she achieved there?',
        evidence: ['a', 'b'],
        kind: 'multi',
      },
    ],
    temporal: { text: 'What activity did {n} start {when}?', evidence: ['a'], kind: 'paraphrase' },
  },
  {
    id: 'family',
    slots: [
      { relative: 'sister', who: 'Lena', news: 'is expecting twins', plan: 'throw her a baby shower' },
      { relative: 'brother', who: 'Tomas', news: 'got engaged in Paris', plan: 'help plan the wedding' },
      {
        relative: 'mum',
        who: 'Rosa',
        news: 'is retiring after thirty years of teaching',
        plan: 'organise a surprise party',
      },
    ],
    tellings: [
      [
        u('Guess what, my {relative} {who} {news}!', 'a'),
        a('That is wonderful! How are you celebrating?'),
        u('We want to {plan}', 'b'),
      ],
      [
        a('Any family news?'),
        u('{who} {news}, we found out on Sunday', 'a'),
        a('Oh how lovely, is it your {relative}?'),
        u('Yes! My {relative}. We will {plan}.', 'b'),
      ],
    ],
    questions: [
      { text: 'What big announcement did {n}’s {relative} make?', evidence: ['a'], kind: 'paraphrase' },
      { text: 'How is {n} going to mark the occasion for {who}?', evidence: ['b'], kind: 'answer' },
      { text: 'What happened with {who} and what is {n} arranging?', evidence: ['a', 'b'], kind: 'multi' },
    ],
    temporal: { text: 'What family news did {n} hear {when}?', evidence: ['a'], kind: 'paraphrase' },
  },
  {
    id: 'purchase',
    slots: [
      { item: 'a secondhand cargo bike', price: '400 euros', use: 'taking the kids to school' },
      { item: 'a vintage film camera', price: '90 dollars', use: 'shooting street photos' },
      { item: 'an electric piano', price: '650 pounds', use: 'practising at night with headphones' },
      { item: 'a tiny camper van', price: 'way too much', use: 'weekend trips to the coast' },
    ],
    tellings: [
      [
        u('Finally treated myself to {item}', 'a'),
        a('Nice! Was it a good deal?'),
        u('{price}, not bad at all', 'b'),
        u('It’s perfect for {use}', 'c'),
      ],
      [
        a('What have you been up to?'),
        u('Picked up {item} off a neighbour, {price}', 'a'),
        a('What will you use it for?'),
        u('{use}', 'b'),
      ],
    ],
    questions: [
      { text: 'What did {n} buy recently?', evidence: ['a'], kind: 'paraphrase' },
      { text: 'How much did {n} pay for {item}?', evidence: ['a', 'b'], kind: 'answer' },
      { text: 'What does {n} want {item} for?', evidence: ['c', 'b'], kind: 'answer' },
    ],
    temporal: { text: 'What did {n} splurge on {when}?', evidence: ['a'], kind: 'paraphrase' },
  },
  {
    id: 'move',
    slots: [
      { town: 'Bristol', home: 'a flat above a bakery', why: 'closer to work' },
      { town: 'the countryside outside Utrecht', home: 'an old farmhouse', why: 'more space for the dogs' },
      { town: 'Montreal', home: 'a walk-up with a balcony', why: 'my partner’s new job' },
    ],
    tellings: [
      [
        u('We’re relocating to {town} next month', 'a'),
        a('Big change! Have you found a place?'),
        u('Yes, {home}. It’s {why} too.', 'b'),
      ],
      [
        a('How is the house hunting?'),
        u('Signed the lease on {home} in {town}!', 'a'),
        a('Congrats! Why there?'),
        u('Mostly {why}', 'b'),
      ],
    ],
    questions: [
      { text: 'Where is {n} moving?', evidence: ['a'], kind: 'paraphrase' },
      { text: 'What kind of home did {n} find?', evidence: ['b', 'a'], kind: 'answer' },
      { text: 'What is the reason for {n}’s relocation?', evidence: ['b'], kind: 'answer' },
    ],
    temporal: { text: 'What housing news did {n} have {when}?', evidence: ['a'], kind: 'paraphrase' },
  },
];

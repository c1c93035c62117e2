const DAY = 86_400_000;
const WEEKDAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];
const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

/**
 * How a person would say when a session was, seen from `today` (UTC midnights): "yesterday",
 * "on Tuesday", "last week", "three weeks ago", "last month", "in March". One of the phrases
 * that fit, at random; undefined for a session today.
 */
export function whenPhrase(day: number, today: number, random: () => number): string | undefined {
  const age = Math.round((today - day) / DAY);
  const date = new Date(day);
  const now = new Date(today);
  const options: string[] = [];
  if (age === 1) options.push('yesterday');
  if (age >= 2 && age <= 6)
    options.push(`on ${cap(WEEKDAYS[date.getUTCDay()]!)}`, `last ${cap(WEEKDAYS[date.getUTCDay()]!)}`);
  if (age >= 2 && age <= 5) options.push('a few days ago');
  const weekStart = today - ((now.getUTCDay() + 6) % 7) * DAY;
  if (day >= weekStart - 7 * DAY && day < weekStart) options.push('last week');
  const weeks = Math.round(age / 7);
  if (weeks >= 2 && weeks <= 4 && Math.abs(age - 7 * weeks) <= 3)
    options.push(`${['two', 'three', 'four'][weeks - 2]} weeks ago`);
  const months = (now.getUTCFullYear() - date.getUTCFullYear()) * 12 + now.getUTCMonth() - date.getUTCMonth();
  if (months === 1) options.push('last month');
  if (months >= 1 && months <= 10) options.push(`in ${MONTHS[date.getUTCMonth()]}`);
  if (months >= 1 && months <= 10 && age > 20)
    options.push(`on ${date.getUTCDate()} ${MONTHS[date.getUTCMonth()]}`);
  if (!options.length) return undefined;
  return options[Math.floor(random() * options.length)];
}

const cap = (s: string) => s[0]!.toUpperCase() + s.slice(1);

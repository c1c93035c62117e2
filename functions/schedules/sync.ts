import type { Schedule } from './schedule.ts';
import type { ScheduleRepository } from './schedule-repository.ts';
import { characterSchedules, type ScheduleSpec } from './spec.ts';

/**
 * Makes the store hold exactly the character files' schedules (when each last fired is kept),
 * so the local scheduler fires what the files say now. Deployed, the CDK app creates them.
 *
 * @example
 * await syncCharacterSchedules([{ id: 'ada', schedules: ada.schedules }], repository, new Date());
 */
export async function syncCharacterSchedules(
  characters: Array<{ id: string; schedules?: ScheduleSpec[] | undefined }>,
  repository: ScheduleRepository,
  now: Date,
): Promise<Schedule[]> {
  const all: Schedule[] = [];
  for (const character of characters) {
    const wanted = characterSchedules(character.id, character.schedules ?? [], now);
    for (const schedule of wanted) {
      const stored = await repository.put(schedule);
      if (stored) all.push(stored);
    }
    await repository.pruneCharacter(
      character.id,
      wanted.map((s) => s.key),
    );
  }
  return all;
}

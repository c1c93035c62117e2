import type { ScheduleTrigger } from '../../ports/schedule-trigger.ts';

/**
 * The local stack's trigger: the in-process scheduler reads the schedules table on every tick,
 * so a stored schedule is armed already and a deleted one is gone.
 */
export const tableTrigger: ScheduleTrigger = { arm: async () => {}, disarm: async () => {} };

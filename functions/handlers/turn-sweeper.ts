import { createTurnSweeper } from '../wiring/turn-sweeper.ts';
import { loadedSettings } from '../wiring/settings.ts';
import { lambdaHandler } from './lambda-handler.ts';
import { traced } from './traced.ts';

const observed = traced('turn-sweeper');
const { logger } = observed;

/** Every minute: fail turns that ran out of time, queue jobs whose enqueue never happened. */
export const handler = lambdaHandler(
  observed,
  async () => createTurnSweeper(await loadedSettings(logger), logger),
  (sweep) => sweep(),
);

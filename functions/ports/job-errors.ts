/**
 * Why a job failed, as a caller sees it: a stable code and a fixed message. The internal reason
 * (a provider's error, a driver's message) stays on the turn for the operator and the logs;
 * callers of the API and webhook receivers only ever get these.
 */
export const JOB_ERRORS = {
  agent_failed: 'the agent could not answer after every attempt; send the message again',
  timed_out: 'the agent ran out of time on its last attempt; send the message again',
  queue_unavailable: 'the message could not be queued; send it again with a new Idempotency-Key',
  gave_up: 'the message could not be answered; send it again',
  forgotten: "the user's memories were erased before this message was answered; send it again if you wish",
} as const;

export type JobErrorCode = keyof typeof JOB_ERRORS;

export function isJobErrorCode(code: string | null | undefined): code is JobErrorCode {
  return typeof code === 'string' && code in JOB_ERRORS;
}

export interface JobError {
  code: JobErrorCode | 'failed';
  message: string;
}

/**
 * The caller's view of a stored error code; a row without one (written before codes) gets a
 * generic message rather than its internal text.
 *
 * @example
 * jobError('timed_out'); // { code: 'timed_out', message: 'the agent ran out of time …' }
 */
export function jobError(code: string | null | undefined): JobError {
  return isJobErrorCode(code)
    ? { code, message: JOB_ERRORS[code] }
    : { code: 'failed', message: 'the message could not be answered; send it again' };
}

import { FOLLOWUP_PROMPT } from '../../schedules/followup-tool.ts';

const REMIND_IN = /\bremind me in (\d{1,5}) (minutes?|hours?|days?) (?:to |about |that )?(.+?)[.!?]*$/i;
const REMIND_TO = /\bremind me (?:to |about |that )?(.+?) in (\d{1,5}) (minutes?|hours?|days?)[.!?]*$/i;

/**
 * Plain-language requests the offline model turns into a tool call, so the pipeline around a
 * tool can be tried without a real model: "remind me in 2 minutes to stretch" becomes
 * `schedule_followup({ at: 'in 2 minutes', note: 'stretch' })`.
 */
export function intentToolCall(message: string): { name: string; args: Record<string, string> } | undefined {
  const a = REMIND_IN.exec(message);
  if (a) return { name: 'schedule_followup', args: { at: `in ${a[1]} ${a[2]}`, note: a[3]!.trim() } };
  const b = REMIND_TO.exec(message);
  if (b) return { name: 'schedule_followup', args: { at: `in ${b[2]} ${b[3]}`, note: b[1]!.trim() } };
  return undefined;
}

/** The offline answer to a follow-up firing: the note itself. */
export function followupReminder(message: string): string | undefined {
  return message.startsWith(FOLLOWUP_PROMPT)
    ? `Reminder: ${message.slice(FOLLOWUP_PROMPT.length)}`
    : undefined;
}

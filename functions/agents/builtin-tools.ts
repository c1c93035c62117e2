import { tool } from '@openai/agents';
import { z } from 'zod';

/** Tools every character has, needing nothing outside the process. */
export const builtinTools = [
  tool({
    name: 'current_time',
    description: 'The current date and time in ISO 8601 (UTC), optionally in an IANA time zone.',
    parameters: z.object({
      timeZone: z.string().nullable().describe('IANA zone like Europe/Paris, or null for UTC'),
    }),
    execute: async ({ timeZone }) => {
      const now = new Date();
      if (!timeZone) return now.toISOString();
      try {
        return now.toLocaleString('en-GB', { timeZone, dateStyle: 'full', timeStyle: 'long' });
      } catch {
        return `unknown time zone "${timeZone}"; UTC is ${now.toISOString()}`;
      }
    },
  }),
];

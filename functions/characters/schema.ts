import { z } from 'zod';
import { contentPlanSchema } from '../schedules/plan-spec.ts';
import { scheduleSpecsSchema } from '../schedules/spec.ts';

/**
 * The character file schema: ElizaOS character files (legacy v0 and current layouts) load
 * unchanged, plus Carrier's own fields. Objects are loose: unknown fields are kept, so a file
 * written for another runtime still loads; wrong types are errors with a field path.
 */

const text = z.string();
const textOrLines = z.union([text, z.array(text)]);

/** One line of a message example. Legacy files say `user`, current ones say `name`. */
export const exampleMessageSchema = z.looseObject({
  user: text.optional(),
  name: text.optional(),
  content: z.looseObject({
    text: text,
    action: text.optional(),
    actions: z.array(text).optional(),
  }),
});

const knowledgeItemSchema = z.union([
  text,
  z.looseObject({ path: text, shared: z.boolean().optional() }),
  z.looseObject({ directory: text, shared: z.boolean().optional() }),
]);

/** What the caption writer uses; other keys (from other tools) are kept and ignored. */
export const instagramSettingsSchema = z.looseObject({
  /** Hashtags appended to generated captions when they fit. */
  hashtags: z.array(text).optional(),
  /** A line of style guidance added to the caption prompt. */
  caption_style: text.optional(),
  /** A content calendar: post the next unused file of a media folder on a cron. */
  plan: contentPlanSchema.optional(),
});

/**
 * Accepted and kept for files written for other runtimes. Carrier's Discord settings (keys,
 * application id) come from the environment per character, so nothing here is read yet.
 */
export const discordSettingsSchema = z.looseObject({});

/**
 * Daily spending caps for this character (over the environment's CARRIER_BUDGET_* defaults):
 * `daily_usd` for all its users together, `user_daily_usd` for each user. Over a cap it answers
 * `refusal` without calling the model, or runs `fallback_model` when one is set.
 */
export const budgetSettingsSchema = z.strictObject({
  daily_usd: z.number().nonnegative().optional(),
  user_daily_usd: z.number().nonnegative().optional(),
  fallback_model: text.min(1).optional(),
  fallback_provider: text.min(1).optional(),
  refusal: text.min(1).max(500).optional(),
});

export const characterSchema = z.looseObject({
  name: text.min(1),
  username: text.optional(),
  system: text.optional(),
  bio: textOrLines.optional(),
  lore: z.array(text).optional(),
  messageExamples: z.array(z.array(exampleMessageSchema)).optional(),
  postExamples: z.array(text).optional(),
  topics: z.array(text).optional(),
  adjectives: z.array(text).optional(),
  style: z
    .looseObject({
      all: z.array(text).optional(),
      chat: z.array(text).optional(),
      post: z.array(text).optional(),
    })
    .optional(),
  knowledge: z.array(knowledgeItemSchema).optional(),
  clients: z.array(text).optional(),
  plugins: z.array(z.unknown()).optional(),
  settings: z.looseObject({ secrets: z.record(text, text).optional() }).optional(),
  secrets: z.record(text, z.union([text, z.number(), z.boolean()])).optional(),
  // Carrier's fields.
  modelProvider: text.optional(),
  model: text.optional(),
  temperature: z.number().min(0).max(2).optional(),
  mcp_servers: z.array(text).optional(),
  discord_config: discordSettingsSchema.optional(),
  instagram: instagramSettingsSchema.optional(),
  goals: z.array(text).optional(),
  budget: budgetSettingsSchema.optional(),
  /** Turns the character takes on its own: `[{ id, cron | rate, timezone, prompt, deliver }]`. */
  schedules: scheduleSpecsSchema.optional(),
});

export type CharacterFile = z.infer<typeof characterSchema>;
export type ExampleMessage = z.infer<typeof exampleMessageSchema>;

/** A loaded character: the file's content plus the id taken from its file name. */
export type Character = CharacterFile & {
  id: string;
  source: string;
  /** The `id` the file declares itself (ElizaOS: a UUID): kept, never used as Carrier's id. */
  fileId?: string;
};

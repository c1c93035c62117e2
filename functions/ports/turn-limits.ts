// Imports nothing: the Discord interactions bundle checks requests against these without zod.

/**
 * The bounds of a TurnRequest (turn-request.ts). A producer checks what it builds against them
 * before queueing: a message the runner would refuse to parse would otherwise be dropped there,
 * and its sender never answered.
 */
export const TURN_LIMITS = {
  /** The idempotency key: a Discord interaction id or an API job id. */
  idLength: 128,
  /** `api:<tenant>:<id>` fits: tenants are at most 32 characters, caller ids at most 124. */
  conversationLength: 200,
  textLength: 16_000,
} as const;

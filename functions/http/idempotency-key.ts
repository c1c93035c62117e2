/** Idempotency keys are the caller's: printable ASCII, at most 255 characters (Stripe's limit). */
export const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,255}$/;

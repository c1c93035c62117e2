/**
 * Structured logging; Powertools Logger fits it, and so does the local console log. Never pass
 * tokens or whole payloads: the extra records end up as log fields.
 *
 * @example
 * log.warn('turn attempt failed', { turnId, reason: 'model_timeout' });
 */
export interface Log {
  info(message: string, ...extra: Record<string, unknown>[]): void;
  warn(message: string, ...extra: Record<string, unknown>[]): void;
  error(message: string, ...extra: Record<string, unknown>[]): void;
}

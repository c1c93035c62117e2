/**
 * The base of every error a user can fix: bad files, unknown names, missing keys.
 * The CLI and the HTTP edge print `message` alone, without a stack trace.
 */
export class CarrierError extends Error {
  override name = 'CarrierError';
  constructor(
    message: string,
    readonly code: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** A file that does not fit its schema; one problem per field path. */
export class ConfigError extends CarrierError {
  override name = 'ConfigError';
  constructor(readonly problems: ConfigProblem[]) {
    super(problems.map(formatProblem).join('\n'), 'config_invalid');
  }
}

export interface ConfigProblem {
  file: string;
  path: string;
  message: string;
}

export function formatProblem(p: ConfigProblem): string {
  return p.path ? `${p.file}: ${p.path}: ${p.message}` : `${p.file}: ${p.message}`;
}

import { GraphError, type FailureKind } from './errors.ts';

/** Meta's error body: `{ error: { message, type, code, error_subcode, is_transient, error_user_msg, fbtrace_id } }`. */
export interface GraphErrorBody {
  message?: string;
  type?: string;
  code?: number;
  error_subcode?: number;
  is_transient?: boolean;
  error_user_title?: string;
  error_user_msg?: string;
  fbtrace_id?: string;
}

interface Rule {
  kind: FailureKind;
  /** What happened and what to do, before Meta's own words. */
  says: string;
}

/**
 * Subcodes first: they are more specific than codes (code 4 is a rate limit, but 4/2207051 is a
 * spam block). From Meta's "Error Codes" reference for the Instagram Platform.
 */
const BY_SUBCODE: Record<number, Rule> = {
  2207001: { kind: 'retry', says: 'Instagram had a server error' },
  2207003: { kind: 'retry', says: 'Meta timed out downloading the media' },
  2207004: { kind: 'fix_input', says: 'the image is larger than 8 MB: make it smaller' },
  2207005: { kind: 'fix_input', says: 'the image format is not supported: use a JPEG' },
  2207006: { kind: 'fix_input', says: 'the media was not found or cannot be used by this account' },
  2207008: { kind: 'retry', says: 'the container expired before publishing; a new one will be made' },
  2207009: {
    kind: 'fix_input',
    says: 'the aspect ratio is not supported: crop the image to between 4:5 and 1.91:1',
  },
  2207010: {
    kind: 'fix_input',
    says: 'the caption is too long: keep it within 2,200 characters, 30 hashtags, 20 mentions',
  },
  2207020: { kind: 'retry', says: 'the container expired; a new one will be made' },
  2207023: { kind: 'fix_input', says: 'the media type is unknown: use a JPEG image or an MP4/MOV video' },
  2207026: {
    kind: 'fix_input',
    says: 'the video format is not supported: use MP4 or MOV (H.264/HEVC, AAC audio)',
  },
  2207027: { kind: 'retry', says: 'the media is not ready for publishing yet' },
  2207028: { kind: 'fix_input', says: 'the carousel is invalid: use 2 to 10 images or videos' },
  2207032: { kind: 'retry', says: 'Instagram failed to create the container' },
  2207042: { kind: 'retry', says: 'the account reached its publishing limit for the last 24 hours' },
  2207050: {
    kind: 'fix_input',
    says: 'the Instagram account is restricted or inactive: open the Instagram app and resolve it',
  },
  2207051: {
    kind: 'fix_input',
    says: 'Instagram blocked this publish as suspected spam: review the account and the post in the Instagram app before retrying',
  },
  2207052: {
    kind: 'fix_input',
    says: 'Meta could not download the media from its URL: make sure HTTP_SERVER serves the FTP folder publicly over the internet',
  },
  2207053: { kind: 'retry', says: 'an unknown upload error happened; a new container will be made' },
  2207057: {
    kind: 'fix_input',
    says: 'the thumbnail offset is outside the video: use a thumbOffset shorter than the video',
  },
};

const BY_CODE: Record<number, Rule> = {
  [-2]: { kind: 'retry', says: 'Meta had a temporary problem' },
  [-1]: { kind: 'retry', says: 'Meta had a temporary problem' },
  1: { kind: 'retry', says: 'Meta had an unknown error' },
  2: { kind: 'retry', says: 'Meta is temporarily unavailable' },
  4: { kind: 'retry', says: 'the app hit its API rate limit' },
  9: { kind: 'retry', says: 'the account reached its publishing limit for the last 24 hours' },
  10: {
    kind: 'reauth',
    says: 'the token lacks a permission: reconnect with instagram_business_content_publish',
  },
  17: { kind: 'retry', says: 'the account hit its API rate limit' },
  24: { kind: 'retry', says: 'the container is no longer valid; a new one will be made' },
  32: { kind: 'retry', says: 'the page hit its API rate limit' },
  100: { kind: 'fix_input', says: 'Meta rejected a parameter' },
  102: { kind: 'reauth', says: 'the login session expired: log in again and set a new access token' },
  190: {
    kind: 'reauth',
    says: 'the access token expired or was revoked: create a new long-lived token and set it',
  },
  341: { kind: 'retry', says: 'the account hit a temporary limit' },
  352: {
    kind: 'fix_input',
    says: 'the video format is not supported: use MP4 or MOV (H.264/HEVC, AAC audio)',
  },
  368: { kind: 'retry', says: 'the action was blocked for now' },
  613: { kind: 'retry', says: 'the app hit a rate limit' },
  9004: {
    kind: 'fix_input',
    says: 'Meta could not download the media from its URL: make sure HTTP_SERVER serves the FTP folder publicly over the internet',
  },
  9007: { kind: 'retry', says: 'the media is not ready for publishing yet' },
  36000: { kind: 'fix_input', says: 'the image is larger than 8 MB: make it smaller' },
  36001: {
    kind: 'fix_input',
    says: 'the media format is not supported: use a JPEG image or an MP4/MOV video',
  },
  36003: {
    kind: 'fix_input',
    says: 'the aspect ratio is not supported: crop the image to between 4:5 and 1.91:1',
  },
  36004: { kind: 'fix_input', says: 'the caption is too long: keep it within 2,200 characters' },
};

/** Subcodes that mean "the container is gone: make a new one" rather than "wait". */
export const CONTAINER_GONE_SUBCODES = new Set([2207008, 2207020, 2207053]);
export const CONTAINER_GONE_CODES = new Set([24]);
/** Meta's "not ready yet" answer to media_publish (code 9007 / subcode 2207027). */
export const NOT_READY = { code: 9007, subcode: 2207027 };
/** Meta's "publishing limit reached" (code 9 / subcode 2207042). */
export const LIMIT_REACHED = { code: 9, subcode: 2207042 };

/**
 * Turns a Graph API error response into a GraphError whose kind says what to do and whose message
 * says what happened, what to change, and Meta's own words with its code and subcode.
 *
 * @example
 * graphError(400, { code: 190, message: 'Error validating access token' }).kind // 'reauth'
 */
export function graphError(status: number, body: GraphErrorBody | undefined): GraphError {
  const code = body?.code;
  const subcode = body?.error_subcode;
  const rule =
    (subcode !== undefined ? BY_SUBCODE[subcode] : undefined) ??
    (code !== undefined ? BY_CODE[code] : undefined) ??
    (body?.is_transient || status >= 500 || status === 429
      ? { kind: 'retry' as const, says: 'Meta had a temporary problem' }
      : { kind: 'fix_input' as const, says: 'Meta refused the request' });
  const theirs = body?.error_user_msg ?? body?.message;
  const ids = [code !== undefined ? `code ${code}` : `HTTP ${status}`, subcode && `subcode ${subcode}`]
    .filter(Boolean)
    .join(', ');
  const message = `${rule.says} (Meta ${ids}${theirs ? `: ${theirs}` : ''})`;
  return new GraphError(message, rule.kind, {
    status,
    ...(code !== undefined ? { code } : {}),
    ...(subcode !== undefined ? { subcode } : {}),
    ...(body?.fbtrace_id ? { fbtraceId: body.fbtrace_id } : {}),
  });
}

export function isGraphCode(error: unknown, match: { code?: number; subcode?: number }): boolean {
  if (!(error instanceof GraphError)) return false;
  return (
    (match.subcode !== undefined && error.graph.subcode === match.subcode) ||
    (match.code !== undefined && error.graph.code === match.code)
  );
}

import type { IncomingMessage } from 'node:http';
import { AwsV4Signer } from 'aws4fetch';
import type { TurnQueue } from '../../ports/queue.ts';
import type { TurnRequest } from '../../ports/turn-request.ts';
import { fifoId } from './sqs-ids.ts';

type Env = Record<string, string | undefined>;

export interface SqsJsonQueueOptions {
  /** The FIFO queue's URL (ends in `.fifo`). */
  queueUrl: string;
  /**
   * Where credentials, region and endpoint come from, as Lambda sets them: AWS_ACCESS_KEY_ID,
   * AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN, AWS_REGION, and AWS_ENDPOINT_URL_SQS (or
   * AWS_ENDPOINT_URL) to point it elsewhere. Default `process.env`.
   */
  env?: Env;
  /** Tries per message, throttling and 5xx included. Default 3, as the AWS SDK. */
  maxAttempts?: number;
}

/** SQS refused or could not take a message; `code` is its error code (`QueueDoesNotExist`, …). */
export class SqsSendError extends Error {
  override name = 'SqsSendError';
  constructor(
    message: string,
    readonly code: string,
    readonly retryable: boolean,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/** What the operator can do about an error code SQS answers. */
const FIXES: Record<string, string> = {
  QueueDoesNotExist: 'check TURN_QUEUE_URL',
  AccessDenied: "the function's role needs sqs:SendMessage on the queue",
  InvalidClientTokenId: 'the AWS credentials in the environment are not valid',
  ExpiredToken: 'the AWS credentials in the environment have expired',
};
const RETRYABLE = new Set(['ThrottlingException', 'RequestThrottled', 'ServiceUnavailable', 'InternalError']);

/**
 * The TurnQueue the interactions function uses: one SQS SendMessage over the JSON protocol,
 * signed with SigV4 (aws4fetch), on node:https. It does what SqsTurnQueue does with the AWS SDK
 * (the conversation as message group, the request id as deduplication id, SDK-like retries),
 * without loading the SDK's ~300 KB, which was most of the function's cold import: Discord gives
 * 3 s, cold start included. The HTTP module loads with the first message, so a PING never pays it.
 *
 * @example
 * const queue = new SqsJsonQueue({ queueUrl: process.env.TURN_QUEUE_URL! });
 * await queue.enqueue(request, { signal });
 */
export class SqsJsonQueue implements TurnQueue {
  private readonly env: Env;
  private readonly endpoint: URL;
  private readonly region: string;

  constructor(private readonly options: SqsJsonQueueOptions) {
    this.env = options.env ?? process.env;
    const queue = new URL(options.queueUrl);
    // As the SDK: an explicit endpoint wins, else the queue URL's own host is the endpoint.
    this.endpoint = new URL(this.env.AWS_ENDPOINT_URL_SQS || this.env.AWS_ENDPOINT_URL || queue.origin);
    const region =
      this.env.AWS_REGION || this.env.AWS_DEFAULT_REGION || /^sqs\.([a-z0-9-]+)\./.exec(queue.hostname)?.[1];
    if (!region) throw new Error(`no AWS region for ${options.queueUrl}: set AWS_REGION`);
    this.region = region;
  }

  async enqueue(request: TurnRequest, options: { signal?: AbortSignal } = {}): Promise<void> {
    const body = JSON.stringify({
      QueueUrl: this.options.queueUrl,
      MessageBody: JSON.stringify(request),
      MessageGroupId: fifoId(request.conversation),
      MessageDeduplicationId: fifoId(request.id),
    });
    const attempts = this.options.maxAttempts ?? 3;
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.send(body, options.signal);
      } catch (error) {
        const retryable = error instanceof SqsSendError && error.retryable;
        if (!retryable || attempt >= attempts || options.signal?.aborted) throw error;
        // Full jitter on 50 ms × 2^n, as the SDK's standard retry strategy.
        await new Promise((resolve) => setTimeout(resolve, Math.random() * 50 * 2 ** attempt));
      }
    }
  }

  private async send(body: string, signal?: AbortSignal): Promise<void> {
    const { AWS_ACCESS_KEY_ID: accessKeyId, AWS_SECRET_ACCESS_KEY: secretAccessKey } = this.env;
    if (!accessKeyId || !secretAccessKey) {
      throw new SqsSendError(
        'no AWS credentials: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (Lambda sets them)',
        'CredentialsMissing',
        false,
      );
    }
    const signed = await new AwsV4Signer({
      url: new URL('/', this.endpoint).href,
      method: 'POST',
      body,
      service: 'sqs',
      region: this.region,
      accessKeyId,
      secretAccessKey,
      ...(this.env.AWS_SESSION_TOKEN ? { sessionToken: this.env.AWS_SESSION_TOKEN } : {}),
      headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'AmazonSQS.SendMessage' },
    }).sign();
    let reply: { status: number; text: string };
    try {
      reply = await post(signed.url, Object.fromEntries(signed.headers), body, signal);
    } catch (error) {
      if (signal?.aborted) throw error;
      const message = `SQS SendMessage to ${this.options.queueUrl} failed: ${(error as Error).message}`;
      throw new SqsSendError(message, (error as NodeJS.ErrnoException).code ?? 'NetworkError', true, {
        cause: error,
      });
    }
    if (reply.status >= 200 && reply.status < 300) return;
    const parsed = safeJson(reply.text) as
      { __type?: string; message?: string; Message?: string } | undefined;
    const code = parsed?.__type?.replace(/^.*#/, '') ?? `HTTP${reply.status}`;
    const fix = FIXES[code];
    throw new SqsSendError(
      `SQS SendMessage to ${this.options.queueUrl} failed: ${code} (${reply.status}): ${parsed?.message ?? parsed?.Message ?? reply.text.slice(0, 200)}${fix ? `; ${fix}` : ''}`,
      code,
      reply.status >= 500 || reply.status === 429 || RETRYABLE.has(code),
    );
  }
}

async function post(url: URL, headers: Record<string, string>, body: string, signal?: AbortSignal) {
  const { request } = url.protocol === 'https:' ? await import('node:https') : await import('node:http');
  return new Promise<{ status: number; text: string }>((resolve, reject) => {
    const req = request(
      url,
      { method: 'POST', headers, ...(signal ? { signal } : {}) },
      (res: IncomingMessage) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

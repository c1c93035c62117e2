/* eslint-disable @typescript-eslint/no-explicit-any -- the Scheduler's JSON bodies, read field by field */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request the fake received. */
export interface SchedulerRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  // The Scheduler's wire format, read field by field by tests.
  body: any;
  status: number;
}

/**
 * A loopback EventBridge Scheduler speaking its REST-JSON protocol: Create (POST), Update (PUT),
 * Get and Delete of /schedules/{Name} in a group, with the service's validation of names,
 * expressions and targets and its errors (ConflictException, ResourceNotFoundException,
 * ValidationException in `x-amzn-errortype`). Point a SchedulerClient's `endpoint` at `url`.
 */
export class FakeSchedulerApi {
  readonly requests: SchedulerRequest[] = [];
  /** Stored schedules by `group/name`. */
  readonly schedules = new Map<string, Record<string, unknown>>();

  private constructor(
    private readonly server: Server,
    readonly url: string,
  ) {}

  static async start(): Promise<FakeSchedulerApi> {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const fake = new FakeSchedulerApi(server, `http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    server.on('request', (req, res) => {
      let raw = '';
      req.setEncoding('utf8');
      req.on('data', (c: string) => (raw += c));
      req.on('end', () => {
        const url = new URL(req.url ?? '/', fake.url);
        const body = raw ? JSON.parse(raw) : undefined;
        const reply = fake.handle(
          req.method ?? 'GET',
          decodeURIComponent(url.pathname),
          Object.fromEntries(url.searchParams),
          body,
        );
        fake.requests.push({
          method: req.method ?? 'GET',
          path: url.pathname,
          query: Object.fromEntries(url.searchParams),
          body,
          status: reply.status,
        });
        res.writeHead(reply.status, {
          'content-type': 'application/json',
          ...(reply.error ? { 'x-amzn-errortype': reply.error } : {}),
        });
        res.end(JSON.stringify(reply.body ?? {}));
      });
    });
    return fake;
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private handle(
    method: string,
    path: string,
    query: Record<string, string>,
    body: Record<string, any> | undefined,
  ): Reply {
    const name = /^\/schedules\/([^/]+)$/.exec(path)?.[1];
    if (!name) return fail(404, 'ResourceNotFoundException', `no route ${path}`);
    if (!/^[0-9a-zA-Z-_.]{1,64}$/.test(name))
      return fail(400, 'ValidationException', `invalid schedule name ${name}`);
    const group = (method === 'POST' || method === 'PUT' ? body?.GroupName : query.groupName) ?? 'default';
    const key = `${group}/${name}`;
    const existing = this.schedules.get(key);
    if (method === 'GET' || method === 'DELETE') {
      if (!existing) return fail(404, 'ResourceNotFoundException', `Schedule ${name} does not exist.`);
      if (method === 'DELETE') this.schedules.delete(key);
      return { status: 200, body: method === 'GET' ? existing : {} };
    }
    const invalid = validate(body ?? {});
    if (invalid) return fail(400, 'ValidationException', invalid);
    if (method === 'POST' && existing)
      return fail(409, 'ConflictException', `Schedule ${name} already exists.`);
    if (method === 'PUT' && !existing)
      return fail(404, 'ResourceNotFoundException', `Schedule ${name} does not exist.`);
    const arn = `arn:aws:scheduler:eu-west-1:123456789012:schedule/${group}/${name}`;
    this.schedules.set(key, { ...body, Name: name, Arn: arn });
    return { status: 200, body: { ScheduleArn: arn } };
  }
}

interface Reply {
  status: number;
  error?: string;
  body?: unknown;
}

function fail(status: number, error: string, message: string): Reply {
  return { status, error, body: { Message: message } };
}

function validate(body: Record<string, any>): string | undefined {
  if (
    !/^(at\(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\)|rate\(\d+ (minute|minutes|hour|hours|day|days)\)|cron\(.+\))$/.test(
      String(body.ScheduleExpression),
    )
  )
    return `Invalid Schedule Expression ${body.ScheduleExpression}.`;
  if (!['OFF', 'FLEXIBLE'].includes(body.FlexibleTimeWindow?.Mode))
    return 'FlexibleTimeWindow.Mode is required';
  if (!body.Target?.Arn || !body.Target?.RoleArn) return 'Target.Arn and Target.RoleArn are required';
  if (String(body.Target.Arn).endsWith('.fifo') && !body.Target.SqsParameters?.MessageGroupId)
    return 'a FIFO queue target needs SqsParameters.MessageGroupId';
  if (body.ActionAfterCompletion && !['NONE', 'DELETE'].includes(body.ActionAfterCompletion))
    return `invalid ActionAfterCompletion ${body.ActionAfterCompletion}`;
  return undefined;
}

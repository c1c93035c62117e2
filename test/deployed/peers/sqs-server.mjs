// fauxqs (the SQS protocol: FIFO groups, deduplication, visibility timeouts, receive counts,
// dead-letter redrive) on 127.0.0.1 only. It needs Node >= 22.5, so it runs on Lambda's Node 24
// in a process of its own; it prints its address once listening.
import { buildApp } from 'fauxqs';

const app = buildApp({ logger: false, defaultRegion: process.env.AWS_REGION ?? 'us-east-1' });
const address = await app.listen({ port: 0, host: '127.0.0.1' });
process.stdout.write(`${JSON.stringify({ address })}\n`);
process.on('SIGTERM', () => app.close().then(() => process.exit(0)));

import type { Log } from '../ports/log.ts';

/**
 * Readable one-line logs for `npm start`: `12:00:01 warn  turn attempt failed turnId=… reason=…`.
 * Lambda uses Powertools Logger (JSON) instead; both take the same fields.
 */
export function consoleLog(
  write: (line: string) => void = (line) => process.stderr.write(`${line}\n`),
  level: 'DEBUG' | 'INFO' | 'WARN' | 'ERROR' = 'INFO',
): Log {
  const order = ['DEBUG', 'INFO', 'WARN', 'ERROR'];
  const emit =
    (lvl: string) =>
    (message: string, ...extra: Record<string, unknown>[]) => {
      if (order.indexOf(lvl) < order.indexOf(level)) return;
      const fields = Object.entries(Object.assign({}, ...extra) as Record<string, unknown>)
        .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
        .join(' ');
      const time = new Date().toISOString().slice(11, 19);
      write(`${time} ${lvl.toLowerCase().padEnd(5)} ${message}${fields ? ` ${fields}` : ''}`);
    };
  return { info: emit('INFO'), warn: emit('WARN'), error: emit('ERROR') };
}

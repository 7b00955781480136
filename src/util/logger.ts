import { monotonicMs } from './clock.js';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
export type LogFormat = 'text' | 'json';

const order: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export interface LogSink {
  write(line: string): void;
}

export interface Logger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
  child(fields: Record<string, unknown>): Logger;
}

export interface LoggerOptions {
  format?: LogFormat;
  level?: LogLevel;
  sink?: LogSink;
  base?: Record<string, unknown>;
}

/** "state transition" → "state_transition": the message as a token a log pipeline can match on. */
export function eventName(msg: string): string {
  return msg
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
}

/**
 * Structured logger. Every line carries `mono` (ms since an arbitrary monotonic origin, the clock the
 * harness correlates with) and `time` (wall clock, for people). JSON lines with format 'json'. A caller that
 * logs an event after the fact passes the event's own `mono` field, and the line carries that instead.
 */
export function createLogger(options: LoggerOptions = {}): Logger {
  const format = options.format ?? 'text';
  const min = order[options.level ?? 'info'];
  const sink = options.sink ?? { write: (l: string) => process.stderr.write(l) };
  const base = options.base ?? {};
  const emit = (level: LogLevel, msg: string, fields?: Record<string, unknown>): void => {
    if (order[level] < min) return;
    const { mono: eventMono, ...rest } = fields ?? {};
    const mono = typeof eventMono === 'number' ? eventMono : Math.round(monotonicMs() * 1000) / 1000;
    const record = { time: new Date().toISOString(), mono, level, msg, ...base, ...rest };
    if (format === 'json') {
      // Log pipelines key on an event name: the message as a stable token unless the caller names it.
      sink.write(`${JSON.stringify({ event: eventName(msg), ...record })}\n`);
      return;
    }
    const extra = Object.entries({ ...base, ...rest })
      .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
      .join(' ');
    sink.write(`${record.time} [${mono.toFixed(3)}] ${level.toUpperCase()} ${msg}${extra ? ` ${extra}` : ''}\n`);
  };
  return {
    debug: (m, f) => emit('debug', m, f),
    info: (m, f) => emit('info', m, f),
    warn: (m, f) => emit('warn', m, f),
    error: (m, f) => emit('error', m, f),
    child: (fields) => createLogger({ ...options, base: { ...base, ...fields } }),
  };
}

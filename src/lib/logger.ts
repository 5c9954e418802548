import { AsyncLocalStorage } from 'node:async_hooks';
import { pino, type Logger, type DestinationStream } from 'pino';

/**
 * JSON logs with personal fields redacted. Callers should not log personal data
 * at all; redaction is the safety net for the day someone logs a whole object.
 * Every line carries the request or job id from the async context.
 */

const REDACT_PATHS = [
  'text',
  '*.text',
  'body',
  '*.body',
  'answers',
  '*.answers',
  'name',
  '*.name',
  'first_name',
  '*.first_name',
  'last_name',
  '*.last_name',
  'username',
  '*.username',
  'preferredName',
  '*.preferredName',
  'phone',
  '*.phone',
  'phone_number',
  '*.phone_number',
  'message.text',
  'update.message',
  'update.edited_message',
  'update.callback_query.message',
  'payload.text',
  'narrative',
  '*.narrative',
  'note',
  '*.note',
  'evaluation',
  '*.evaluation',
  'password',
  '*.password',
  'token',
  '*.token',
  'authorization',
  '*.authorization',
  'headers.authorization',
  'headers.cookie',
  'req.headers.authorization',
  'req.headers.cookie',
  'connectionString',
  '*.connectionString',
  'secret',
  '*.secret',
];

export type LogContext = { requestId?: string; jobId?: string; queue?: string; updateId?: number };
const context = new AsyncLocalStorage<LogContext>();

export function withLogContext<T>(ctx: LogContext, fn: () => T): T {
  return context.run({ ...context.getStore(), ...ctx }, fn);
}

export function currentLogContext(): LogContext | undefined {
  return context.getStore();
}

export function createLogger(opts: { level?: string; name?: string; destination?: DestinationStream } = {}): Logger {
  return pino(
    {
      level: opts.level ?? 'info',
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      // `service` rather than pino's `name`, because `name` is a redacted personal field.
      base: { pid: process.pid, service: opts.name ?? 'casework' },
      timestamp: pino.stdTimeFunctions.isoTime,
      mixin: () => ({ ...(context.getStore() ?? {}) }),
      formatters: { level: (label) => ({ level: label }) },
    },
    opts.destination,
  );
}

export type { Logger };

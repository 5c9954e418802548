/**
 * Whether an error means "PostgreSQL cannot be reached right now" (refused or
 * dropped connection, server shutting down or starting) rather than a problem
 * with the statement. Work that failed this way is not at fault and waits for
 * the database instead of spending its retries.
 */
const CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', '57P01', '57P02', '57P03', '08000', '08001', '08003', '08006']);
const MESSAGES =
  /Connection terminated|connection timeout|timeout exceeded when trying to connect|Client has encountered a connection error|the database system is (starting up|shutting down)/i;

export function isDatabaseUnavailable(err: unknown): boolean {
  for (let e: unknown = err, depth = 0; e && depth < 4; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && CODES.has(code)) return true;
    if (e instanceof Error && MESSAGES.test(e.message)) return true;
  }
  return false;
}

/** Host and port of a connection URL, for error messages (never user or password). */
export function describeEndpoint(connectionUrl: string): string {
  try {
    const u = new URL(connectionUrl);
    return `${u.hostname}:${u.port || (u.protocol.startsWith('redis') ? '6379' : '5432')}`;
  } catch {
    return '(unparseable URL)';
  }
}

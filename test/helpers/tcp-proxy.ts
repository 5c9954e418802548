import net from 'node:net';

/**
 * A TCP proxy in front of the shared PostgreSQL (or any server) that a test
 * can cut: `cut()` drops every connection and refuses new ones (what a crashed
 * or restarting server looks like to a client), `restore()` accepts again on
 * the same port. The shared server itself is never touched.
 */
export interface TcpProxy {
  port: number;
  cut(): Promise<void>;
  restore(): Promise<void>;
  close(): Promise<void>;
}

export async function startTcpProxy(target: { host: string; port: number }, port = 0): Promise<TcpProxy> {
  const sockets = new Set<net.Socket>();
  const serve = () =>
    net.createServer((client) => {
      const upstream = net.connect(target.port, target.host);
      sockets.add(client).add(upstream);
      const drop = () => {
        client.destroy();
        upstream.destroy();
        sockets.delete(client);
        sockets.delete(upstream);
      };
      client.on('error', drop).on('close', drop);
      upstream.on('error', drop).on('close', drop);
      client.pipe(upstream).pipe(client);
    });
  const listen = (s: net.Server, p: number) =>
    new Promise<number>((resolve, reject) => {
      s.once('error', reject);
      s.listen(p, '127.0.0.1', () => resolve((s.address() as net.AddressInfo).port));
    });
  let server: net.Server | undefined = serve();
  const bound = await listen(server, port);
  const stop = async () => {
    const s = server;
    server = undefined;
    for (const sock of sockets) sock.destroy();
    sockets.clear();
    if (s) await new Promise<void>((r) => s.close(() => r()));
  };
  return {
    port: bound,
    cut: stop,
    async restore() {
      if (server) return;
      server = serve();
      await listen(server, bound);
    },
    close: stop,
  };
}

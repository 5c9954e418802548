import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * Small HTTP relays on loopback for the scale-out tests and B1:
 * - `startRoundRobin`: a load balancer in front of several app processes
 *   (each request to the next target in turn), as an HTTPS front would be;
 * - `startApiWatch`: between the bots and the Telegram emulator, holding each
 *   sendMessage for `holdMs` and recording how many were in flight per chat at
 *   once (two updates of one chat handled at the same time show as two).
 */
export interface Relay {
  url: string;
  forwarded: number;
  close(): Promise<void>;
}

async function listen(server: http.Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen({ port: 0, host: '127.0.0.1', backlog: 4096 }, resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

function readBody(req: http.IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    req.on('data', (d: Buffer) => parts.push(d));
    req.on('end', () => resolve(Buffer.concat(parts)));
    req.on('error', reject);
  });
}

// No keep-alive: a pooled socket the target closed while idle fails the next request with ECONNRESET.
const agent = new http.Agent({ keepAlive: false, maxSockets: 1024 });

/** Forward one request; a connection refused or reset before any answer is tried once more, as a balancer would. */
function forward(target: string, req: http.IncomingMessage, body: Buffer, res: http.ServerResponse, retry = true): Promise<void> {
  return new Promise<void>((resolve) => {
    const u = new URL(req.url ?? '/', target);
    const headers = { ...req.headers, host: u.host, 'content-length': String(body.length), connection: 'close' };
    let answered = false;
    const out = http.request(u, { method: req.method, headers, agent }, (r) => {
      answered = true;
      res.writeHead(r.statusCode ?? 502, r.headers);
      r.pipe(res);
      r.on('end', resolve);
      r.on('error', () => resolve());
    });
    out.on('error', () => {
      if (!answered && retry) {
        void forward(target, req, body, res, false).then(resolve);
        return;
      }
      if (!res.headersSent) res.writeHead(502).end();
      resolve();
    });
    out.end(body);
  });
}

/** Each request goes to the next of `targets()` in turn. */
export async function startRoundRobin(targets: () => string[]): Promise<Relay> {
  let n = 0;
  const relay: Relay = { url: '', forwarded: 0, close: async () => {} };
  const server = http.createServer((req, res) => {
    void readBody(req).then((body) => {
      const list = targets();
      const target = list[n++ % list.length]!;
      relay.forwarded++;
      return forward(target, req, body, res);
    });
  });
  relay.url = await listen(server);
  relay.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return relay;
}

export interface ApiWatch extends Relay {
  /** The most sendMessage calls in flight at once, per chat. */
  maxInFlight: Map<number, number>;
}

export async function startApiWatch(target: string, opts: { holdMs: number }): Promise<ApiWatch> {
  const inFlight = new Map<number, number>();
  const watch: ApiWatch = { url: '', forwarded: 0, maxInFlight: new Map(), close: async () => {} };
  const server = http.createServer((req, res) => {
    void readBody(req).then(async (body) => {
      watch.forwarded++;
      let chatId: number | undefined;
      if (/\/sendMessage$/i.test(req.url ?? '')) {
        try {
          chatId = Number((JSON.parse(body.toString()) as { chat_id?: number | string }).chat_id);
        } catch {
          chatId = undefined;
        }
      }
      if (chatId === undefined || !Number.isFinite(chatId)) return forward(target, req, body, res);
      const now = (inFlight.get(chatId) ?? 0) + 1;
      inFlight.set(chatId, now);
      watch.maxInFlight.set(chatId, Math.max(watch.maxInFlight.get(chatId) ?? 0, now));
      try {
        await new Promise((r) => setTimeout(r, opts.holdMs));
        await forward(target, req, body, res);
      } finally {
        inFlight.set(chatId, (inFlight.get(chatId) ?? 1) - 1);
      }
    });
  });
  watch.url = await listen(server);
  watch.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return watch;
}

/** A free loopback port (for a child process's PORT). */
export async function freePort(): Promise<number> {
  const s = http.createServer();
  await new Promise<void>((resolve) => s.listen({ port: 0, host: '127.0.0.1' }, resolve));
  const port = (s.address() as AddressInfo).port;
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}

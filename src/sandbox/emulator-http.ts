/**
 * Small HTTP helpers shared by the emulators: listen on 127.0.0.1, read and
 * parse request bodies the way the real platforms accept them (JSON,
 * x-www-form-urlencoded, multipart/form-data), write JSON replies.
 */
import type { EventEmitter } from 'node:events';
import type http from 'node:http';
import type { AddressInfo } from 'node:net';

export type Params = Record<string, unknown>;

export interface ParsedRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: http.IncomingHttpHeaders;
  raw: Buffer;
  /** Query string merged with the body (body wins). */
  params: Params;
  /** Set when the body could not be parsed. */
  parseError?: string;
}

async function readRaw(req: http.IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
  return Buffer.concat(chunks);
}

export async function parseRequest(req: http.IncomingMessage): Promise<ParsedRequest> {
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  const raw = await readRaw(req);
  const params: Params = {};
  for (const [k, v] of url.searchParams) params[k] = v;
  const type = String(req.headers['content-type'] ?? '').toLowerCase();
  let parseError: string | undefined;
  if (raw.length > 0) {
    try {
      if (type.includes('application/json')) {
        const body: unknown = JSON.parse(raw.toString('utf8'));
        if (body && typeof body === 'object' && !Array.isArray(body)) Object.assign(params, body);
        else parseError = 'JSON body is not an object';
      } else if (type.includes('multipart/form-data')) {
        Object.assign(params, parseMultipart(raw, type));
      } else {
        for (const [k, v] of new URLSearchParams(raw.toString('utf8'))) params[k] = v;
      }
    } catch (err) {
      parseError = err instanceof Error ? err.message : String(err);
    }
  }
  const out: ParsedRequest = { method: req.method ?? 'GET', path: url.pathname, query: url.searchParams, headers: req.headers, raw, params };
  if (parseError !== undefined) out.parseError = parseError;
  return out;
}

/** Text parts become strings; file parts become `{ filename, contentType, size }`. */
export function parseMultipart(raw: Buffer, contentType: string): Params {
  const m = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(contentType);
  const boundary = m?.[1] ?? m?.[2];
  if (!boundary) throw new Error('multipart body without boundary');
  const out: Params = {};
  const text = raw.toString('latin1');
  for (const part of text.split(`--${boundary}`)) {
    const sep = part.indexOf('\r\n\r\n');
    if (sep < 0) continue;
    const head = part.slice(0, sep);
    let body = part.slice(sep + 4);
    if (body.endsWith('\r\n')) body = body.slice(0, -2);
    const name = /name="([^"]*)"/i.exec(head)?.[1];
    if (!name) continue;
    const filename = /filename="([^"]*)"/i.exec(head)?.[1];
    if (filename !== undefined) {
      const ct = /content-type:\s*([^\r\n]+)/i.exec(head)?.[1] ?? 'application/octet-stream';
      out[name] = { filename, contentType: ct, size: Buffer.byteLength(body, 'latin1') };
    } else {
      out[name] = Buffer.from(body, 'latin1').toString('utf8');
    }
  }
  return out;
}

export function sendJson(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const data = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(data), ...headers });
  res.end(data);
}

export async function listen(server: http.Server, port: number): Promise<string> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const addr = server.address() as AddressInfo;
  return `http://127.0.0.1:${addr.port}`;
}

export async function close(server: http.Server): Promise<void> {
  if (!server.listening) return;
  const done = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeIdleConnections();
  server.closeAllConnections();
  await done;
}

/** Params arrive as JSON values, or as strings (form/query) holding JSON. */
export function jsonParam<T = unknown>(v: unknown): T | undefined {
  if (v === undefined || v === null || v === '') return undefined;
  if (typeof v === 'string') {
    try {
      return JSON.parse(v) as T;
    } catch {
      return undefined;
    }
  }
  return v as T;
}

export function boolParam(v: unknown): boolean {
  return v === true || v === 'true' || v === '1' || v === 1;
}

export function numParam(v: unknown): number | undefined {
  if (v === undefined || v === null || v === '') return undefined;
  const n = typeof v === 'number' ? v : Number(v);
  return Number.isFinite(n) ? n : undefined;
}

/** Resolves when `emitter` emits `event` with a value matching `pred`; rejects after timeoutMs. */
/** Subscribe `fn` to some events of an emitter (for waitForEvent); returns the unsubscribe. */
export const onEvents =
  <T>(emitter: EventEmitter, events: readonly string[]) =>
  (fn: (v: T) => void): (() => void) => {
    for (const e of events) emitter.on(e, fn);
    return () => {
      for (const e of events) emitter.off(e, fn);
    };
  };

export function waitForEvent<T>(on: (fn: (v: T) => void) => () => void, pred: (v: T) => boolean, timeoutMs: number, what: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const off = on((v) => {
      let hit = false;
      try {
        hit = pred(v);
      } catch (err) {
        clearTimeout(timer);
        off();
        reject(err instanceof Error ? err : new Error(String(err)));
        return;
      }
      if (!hit) return;
      clearTimeout(timer);
      off();
      resolve(v);
    });
    const timer = setTimeout(() => {
      off();
      reject(new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`));
    }, timeoutMs);
  });
}

/**
 * A platform that is slow to answer (fault tests: `answerDelayMs` on either
 * emulator). The request is held before the platform acts on it; a caller that
 * hangs up meanwhile (its timeout, a shutdown) gets nothing done — the request
 * never got past the platform's front door. Returns false when it was abandoned.
 */
export async function delayAnswer(req: http.IncomingMessage, res: http.ServerResponse, ms: number): Promise<boolean> {
  if (ms <= 0) return true;
  let abandoned = false;
  const onGone = () => {
    if (!res.writableEnded) abandoned = true;
  };
  // A caller that dies closes its end (FIN): the server sees 'end' on the socket long before 'close'.
  // HTTP clients never half-close a keep-alive connection on purpose, so either means "nobody is waiting".
  res.once('close', onGone);
  req.socket.once('end', onGone);
  await new Promise((r) => setTimeout(r, ms));
  res.off('close', onGone);
  req.socket.off('end', onGone);
  return !abandoned && !req.socket.destroyed && !req.socket.readableEnded;
}

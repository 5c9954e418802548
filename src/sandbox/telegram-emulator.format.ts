/**
 * parse_mode handling, close to what the Bot API does: formatted text is parsed
 * into plain text + entities (limits apply to the parsed text), malformed text is
 * rejected with the Bot API's wording, so a rendering bug surfaces in tests rather
 * than in production. reply_markup validation: telegram-emulator.markup.ts.
 */
import { badRequest, type TgEntity } from './telegram-emulator.types.js';

export interface ParsedText {
  text: string;
  entities: TgEntity[];
}

const cantParse = (msg: string) => badRequest(`can't parse entities: ${msg}`);
const byteOffset = (src: string, i: number): number => Buffer.byteLength(src.slice(0, i), 'utf8');

export function parseFormatted(src: string, parseMode: string | undefined): ParsedText {
  if (!parseMode) return { text: src, entities: [] };
  switch (parseMode) {
    case 'HTML':
      return parseHtml(src);
    case 'MarkdownV2':
      return parseMarkdownV2(src);
    case 'Markdown':
      return parseMarkdownLegacy(src);
    default:
      throw badRequest('unsupported parse_mode');
  }
}

const HTML_TAGS: Record<string, string> = {
  b: 'bold',
  strong: 'bold',
  i: 'italic',
  em: 'italic',
  u: 'underline',
  ins: 'underline',
  s: 'strikethrough',
  strike: 'strikethrough',
  del: 'strikethrough',
  'tg-spoiler': 'spoiler',
  span: 'spoiler',
  a: 'text_link',
  code: 'code',
  pre: 'pre',
  blockquote: 'blockquote',
  'tg-emoji': 'custom_emoji',
};
const HTML_ESCAPES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"' };

function parseHtml(src: string): ParsedText {
  let out = '';
  const entities: TgEntity[] = [];
  const stack: Array<{ tag: string; start: number; at: number; url?: string }> = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i]!;
    if (c === '&') {
      const m = /^&(#x[0-9a-f]+|#[0-9]+|[a-z]+);/i.exec(src.slice(i, i + 12));
      if (m) {
        const name = m[1]!;
        const ch = name.startsWith('#x')
          ? String.fromCodePoint(parseInt(name.slice(2), 16))
          : name.startsWith('#')
            ? String.fromCodePoint(parseInt(name.slice(1), 10))
            : HTML_ESCAPES[name.toLowerCase()];
        if (ch !== undefined) {
          out += ch;
          i += m[0].length;
          continue;
        }
      }
      out += c;
      i++;
      continue;
    }
    if (c !== '<') {
      out += c;
      i++;
      continue;
    }
    const end = src.indexOf('>', i);
    if (end < 0) throw cantParse(`Can't find end of the tag at byte offset ${byteOffset(src, i)}`);
    const inner = src.slice(i + 1, end);
    if (inner.startsWith('/')) {
      const name = inner.slice(1).trim().toLowerCase();
      const open = stack.pop();
      if (!open) throw cantParse(`Unexpected end tag at byte offset ${byteOffset(src, i)}`);
      if (open.tag !== name) {
        throw cantParse(`Unmatched end tag at byte offset ${byteOffset(src, i)}, expected "</${open.tag}>", found "</${name}>"`);
      }
      const type = HTML_TAGS[open.tag]!;
      if (out.length > open.start) {
        const e: TgEntity = { type, offset: open.start, length: out.length - open.start };
        if (open.url !== undefined) e.url = open.url;
        entities.push(e);
      }
    } else {
      const name = (/^[a-z-]+/i.exec(inner)?.[0] ?? '').toLowerCase();
      if (!(name in HTML_TAGS)) throw cantParse(`Unsupported start tag "${name || inner}" at byte offset ${byteOffset(src, i)}`);
      if (name === 'span' && !/class\s*=\s*"tg-spoiler"/.test(inner))
        throw cantParse(`Tag "span" must have class "tg-spoiler" at byte offset ${byteOffset(src, i)}`);
      const href = name === 'a' ? /href\s*=\s*"([^"]*)"/i.exec(inner)?.[1] : undefined;
      const entry: { tag: string; start: number; at: number; url?: string } = { tag: name, start: out.length, at: i };
      if (href !== undefined) entry.url = href.replace(/&amp;/g, '&');
      stack.push(entry);
    }
    i = end + 1;
  }
  const open = stack.pop();
  if (open) throw cantParse(`Can't find end tag corresponding to start tag "${open.tag}"`);
  return { text: out, entities: sortEntities(entities) };
}

const MDV2_RESERVED = new Set('_*[]()~`>#+-=|{}.!'.split(''));
const MDV2_NAMES: Record<string, [string, string]> = {
  '*': ['bold', 'Bold'],
  _: ['italic', 'Italic'],
  __: ['underline', 'Underline'],
  '~': ['strikethrough', 'Strikethrough'],
  '||': ['spoiler', 'Spoiler'],
};

function parseMarkdownV2(src: string): ParsedText {
  let out = '';
  const entities: TgEntity[] = [];
  const open = new Map<string, { start: number; at: number }>();
  let link: { start: number; at: number } | undefined;
  let i = 0;
  const lineStart = () => i === 0 || src[i - 1] === '\n';
  while (i < src.length) {
    const c = src[i]!;
    if (c === '\\') {
      const next = src[i + 1];
      if (next === undefined) throw cantParse(`Character '\\' is reserved and must be escaped with the preceding '\\'`);
      out += next;
      i += 2;
      continue;
    }
    if (c === '`') {
      const fence = src.startsWith('```', i);
      const close = fence ? src.indexOf('```', i + 3) : findUnescaped(src, '`', i + 1);
      if (close < 0) throw cantParse(`Can't find end of ${fence ? 'Pre' : 'Code'} entity at byte offset ${byteOffset(src, i)}`);
      let body = src.slice(i + (fence ? 3 : 1), close);
      let language: string | undefined;
      if (fence) {
        const nl = body.indexOf('\n');
        if (nl >= 0 && /^[\w+-]*$/.test(body.slice(0, nl))) {
          language = body.slice(0, nl) || undefined;
          body = body.slice(nl + 1);
        }
      }
      body = body.replace(/\\([`\\])/g, '$1');
      const e: TgEntity = { type: fence ? 'pre' : 'code', offset: out.length, length: body.length };
      if (language) e.language = language;
      if (body.length > 0) entities.push(e);
      out += body;
      i = close + (fence ? 3 : 1);
      continue;
    }
    const two = src.slice(i, i + 2);
    const marker = two === '__' || two === '||' ? two : c === '*' || c === '_' || c === '~' ? c : undefined;
    if (marker) {
      const o = open.get(marker);
      if (o) {
        if (out.length > o.start) entities.push({ type: MDV2_NAMES[marker]![0], offset: o.start, length: out.length - o.start });
        open.delete(marker);
      } else {
        open.set(marker, { start: out.length, at: i });
      }
      i += marker.length;
      continue;
    }
    if (c === '[' && !link) {
      link = { start: out.length, at: i };
      i++;
      continue;
    }
    if (c === ']' && link) {
      if (src[i + 1] !== '(') throw cantParse(`Character ']' is reserved and must be escaped with the preceding '\\'`);
      const close = findUnescaped(src, ')', i + 2);
      if (close < 0) throw cantParse(`Can't find end of a URL at byte offset ${byteOffset(src, i + 2)}`);
      const url = src.slice(i + 2, close).replace(/\\([)\\])/g, '$1');
      if (out.length > link.start) entities.push({ type: 'text_link', offset: link.start, length: out.length - link.start, url });
      link = undefined;
      i = close + 1;
      continue;
    }
    if (c === '>' && lineStart()) {
      const nl = src.indexOf('\n', i);
      const startOut = out.length;
      i++;
      const lineEnd = nl < 0 ? src.length : nl;
      const inner = parseMarkdownV2(src.slice(i, lineEnd));
      for (const e of inner.entities) entities.push({ ...e, offset: e.offset + startOut });
      out += inner.text;
      if (inner.text.length > 0) entities.push({ type: 'blockquote', offset: startOut, length: inner.text.length });
      i = lineEnd;
      continue;
    }
    if (MDV2_RESERVED.has(c)) throw cantParse(`Character '${c}' is reserved and must be escaped with the preceding '\\'`);
    out += c;
    i++;
  }
  for (const [marker, o] of open) throw cantParse(`Can't find end of ${MDV2_NAMES[marker]![1]} entity at byte offset ${byteOffset(src, o.at)}`);
  if (link) throw cantParse(`Can't find end of TextUrl entity at byte offset ${byteOffset(src, link.at)}`);
  return { text: out, entities: sortEntities(entities) };
}

function parseMarkdownLegacy(src: string): ParsedText {
  let out = '';
  const entities: TgEntity[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i]!;
    if (c === '\\' && '_*`['.includes(src[i + 1] ?? '')) {
      out += src[i + 1];
      i += 2;
      continue;
    }
    if (c === '*' || c === '_' || c === '`') {
      const fence = c === '`' && src.startsWith('```', i);
      const token = fence ? '```' : c;
      const close = src.indexOf(token, i + token.length);
      if (close < 0) throw cantParse(`Can't find end of the entity starting at byte offset ${byteOffset(src, i)}`);
      const body = src.slice(i + token.length, close);
      const type = fence ? 'pre' : c === '*' ? 'bold' : c === '_' ? 'italic' : 'code';
      if (body.length > 0) entities.push({ type, offset: out.length, length: body.length });
      out += body;
      i = close + token.length;
      continue;
    }
    if (c === '[') {
      const m = /^\[([^\]]*)\]\(([^)]*)\)/.exec(src.slice(i));
      if (!m) throw cantParse(`Can't find end of the entity starting at byte offset ${byteOffset(src, i)}`);
      if (m[1]!.length > 0) entities.push({ type: 'text_link', offset: out.length, length: m[1]!.length, url: m[2]! });
      out += m[1];
      i += m[0].length;
      continue;
    }
    out += c;
    i++;
  }
  return { text: out, entities: sortEntities(entities) };
}

function findUnescaped(src: string, ch: string, from: number): number {
  for (let j = from; j < src.length; j++) {
    if (src[j] === '\\') j++;
    else if (src[j] === ch) return j;
  }
  return -1;
}

function sortEntities(es: TgEntity[]): TgEntity[] {
  return es.sort((a, b) => a.offset - b.offset || b.length - a.length);
}

/** Entities the Bot API detects by itself in plain text (only bot commands here). */
export function detectCommandEntities(text: string): TgEntity[] {
  const out: TgEntity[] = [];
  const re = /(^|\s)(\/[a-zA-Z0-9_]{1,32}(?:@[a-zA-Z0-9_]+)?)/g;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    out.push({ type: 'bot_command', offset: m.index + m[1]!.length, length: m[2]!.length });
  }
  return out;
}

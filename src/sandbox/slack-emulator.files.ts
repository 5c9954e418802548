import type { SlackState } from './slack-emulator.state.js';
import { SlackApiError } from './slack-emulator.types.js';

/**
 * Slack's file upload (what WebClient.filesUploadV2 does), emulated:
 *   1. files.getUploadURLExternal {filename, length} → {upload_url, file_id}
 *   2. POST the bytes to upload_url (raw or multipart)
 *   3. files.completeUploadExternal {files: [{id, title}], channel_id?, initial_comment?, thread_ts?}
 *      → the file is shared: a message carrying `files` appears in the channel.
 * A file completed before its bytes arrived, or with a length that does not
 * match, is refused as Slack does.
 */
export interface EmulatedFile {
  id: string;
  name: string;
  title: string;
  length: number;
  content: Buffer | null;
  mimetype: string;
  completed: boolean;
  channel?: string;
}

export class SlackFiles {
  readonly files = new Map<string, EmulatedFile>();

  constructor(
    private readonly state: SlackState,
    private readonly baseUrl: () => string,
  ) {}

  install(): void {
    Object.assign(this.state.methods, {
      'files.getUploadURLExternal': (p: Record<string, unknown>) => this.getUploadUrl(p),
      'files.completeUploadExternal': (p: Record<string, unknown>) => this.complete(p),
      'files.info': (p: Record<string, unknown>) => ({ file: this.publicView(this.file(String(p.file ?? ''))) }),
    });
  }

  private getUploadUrl(p: Record<string, unknown>) {
    const name = String(p.filename ?? '').trim();
    const length = Number(p.length);
    if (!name) throw new SlackApiError('invalid_arguments', { detail: 'filename is required' });
    if (!Number.isInteger(length) || length <= 0) throw new SlackApiError('invalid_arguments', { detail: 'length must be a positive integer' });
    const id = this.state.newId('F');
    this.files.set(id, { id, name, title: name, length, content: null, mimetype: mimeOf(name), completed: false });
    return { upload_url: `${this.baseUrl()}/upload/${id}`, file_id: id };
  }

  /** Step 2: the bytes (the whole body, or the first part of a multipart body). */
  upload(id: string, raw: Buffer, contentType: string): { status: number; body: string } {
    const f = this.files.get(id);
    if (!f || f.completed) return { status: 404, body: 'not found' };
    const data = /multipart\/form-data/i.test(contentType) ? firstPart(raw, contentType) : raw;
    if (data.length !== f.length) return { status: 400, body: `length mismatch: announced ${f.length}, received ${data.length}` };
    f.content = data;
    return { status: 200, body: `OK - ${data.length}` };
  }

  private complete(p: Record<string, unknown>) {
    const list = (typeof p.files === 'string' ? JSON.parse(p.files) : p.files) as Array<{ id: string; title?: string }> | undefined;
    if (!Array.isArray(list) || list.length === 0) throw new SlackApiError('invalid_arguments', { detail: 'files is required' });
    const files = list.map((x) => {
      const f = this.file(x.id);
      if (!f.content) throw new SlackApiError('file_not_found', { detail: `no bytes were uploaded for ${x.id}` });
      if (x.title) f.title = String(x.title).slice(0, 250);
      return f;
    });
    const channelId = p.channel_id ? String(p.channel_id) : undefined;
    if (channelId) {
      const ch = this.state.channel(channelId, { allowUser: true });
      for (const f of files) f.channel = ch.id;
      this.state.store(ch.id, {
        user: this.state.id.botUserId,
        bot_id: this.state.id.botId,
        app_id: this.state.id.appId,
        text: typeof p.initial_comment === 'string' ? p.initial_comment : '',
        upload: true,
        files: files.map((f) => this.publicView(f)),
        ...(p.thread_ts ? { thread_ts: String(p.thread_ts) } : {}),
      });
    }
    for (const f of files) f.completed = true;
    return { files: files.map((f) => ({ id: f.id, title: f.title })) };
  }

  private file(id: string): EmulatedFile {
    const f = this.files.get(id);
    if (!f) throw new SlackApiError('file_not_found');
    return f;
  }

  private publicView(f: EmulatedFile) {
    return {
      id: f.id,
      name: f.name,
      title: f.title,
      size: f.length,
      mimetype: f.mimetype,
      url_private: `${this.baseUrl()}/files/${f.id}/${encodeURIComponent(f.name)}`,
    };
  }
}

function mimeOf(name: string): string {
  if (name.endsWith('.json')) return 'application/json';
  if (name.endsWith('.md')) return 'text/markdown';
  if (name.endsWith('.html')) return 'text/html';
  if (name.endsWith('.csv')) return 'text/csv';
  if (name.endsWith('.png')) return 'image/png';
  if (name.endsWith('.svg')) return 'image/svg+xml';
  return 'application/octet-stream';
}

function firstPart(raw: Buffer, contentType: string): Buffer {
  const m = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(contentType);
  const boundary = Buffer.from(`--${m?.[1] ?? m?.[2] ?? ''}`);
  const start = raw.indexOf(boundary);
  const headEnd = raw.indexOf('\r\n\r\n', start);
  const end = raw.indexOf(boundary, headEnd);
  if (start < 0 || headEnd < 0 || end < 0) return raw;
  return raw.subarray(headEnd + 4, end - 2);
}

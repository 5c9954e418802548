import type { WindowSpec } from './rate-limit.js';
/** Shapes used by the Slack emulator (Web API objects, the subset the service touches). */
export interface SlackUserSeed {
  id: string;
  name: string;
  real_name?: string;
  tz?: string;
  is_bot?: boolean;
  is_admin?: boolean;
  email?: string;
  deleted?: boolean;
}

export interface SlackMessage {
  type: 'message';
  ts: string;
  user?: string;
  bot_id?: string;
  app_id?: string;
  team?: string;
  text: string;
  blocks?: unknown[];
  thread_ts?: string;
  reply_count?: number;
  reply_users?: string[];
  latest_reply?: string;
  edited?: { user: string; ts: string };
  subtype?: string;
  metadata?: unknown;
  [k: string]: unknown;
}

export interface StoredSlackMessage {
  channel: string;
  message: SlackMessage;
  /** Earlier versions, oldest first (chat.update). */
  edits: Array<{ ts: string; text: string; blocks?: unknown[] }>;
  deleted: boolean;
}

export interface SlackChannel {
  id: string;
  name: string;
  is_im: boolean;
  is_mpim: boolean;
  is_private: boolean;
  is_archived: boolean;
  /** For IMs: the other user. */
  user?: string;
  members: string[];
  created: number;
}

export interface SlackView {
  id: string;
  team_id: string;
  type: 'modal' | 'home';
  title?: unknown;
  submit?: unknown;
  close?: unknown;
  blocks: unknown[];
  private_metadata: string;
  callback_id: string;
  external_id: string;
  state: { values: Record<string, Record<string, unknown>> };
  hash: string;
  clear_on_close: boolean;
  notify_on_close: boolean;
  root_view_id: string;
  previous_view_id: string | null;
  app_id: string;
  app_installed_team_id: string;
  bot_id: string;
}

export interface SlackCallRecord {
  method: string;
  params: Record<string, unknown>;
  /** Emulator time (ms). */
  time: number;
  ok: boolean;
  /** Full response body. */
  response: Record<string, unknown>;
  status: number;
}

export interface ResponseUrlPost {
  id: string;
  /** What the response_url was issued for. */
  context: { channel?: string; user: string; message_ts?: string; kind: 'command' | 'block_actions' | 'view'; ephemeral?: boolean };
  body: Record<string, unknown>;
  time: number;
}

export interface EphemeralMessage {
  channel: string;
  user: string;
  message_ts: string;
  text: string;
  blocks?: unknown[];
  thread_ts?: string;
  /** Replaced through the response_url of an action on it (replace_original). */
  replaced?: boolean;
  /** Deleted through a response_url (delete_original). */
  deleted?: boolean;
  /** The user pressed "Dismiss" (Slack's client hides it; the app is not told). */
  dismissed?: boolean;
}

export class SlackApiError extends Error {
  constructor(
    readonly error: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(error);
  }
}

export interface SlackRateLimitOptions {
  /** chat.postMessage per channel; default 3 per 3000 ms (≈1/s with a short burst). `false` disables. */
  perChannel?: WindowSpec | false;
  /** chat.postMessage across the workspace; off unless given. */
  workspace?: WindowSpec | false;
  /** Time source for the windows; default Date.now. */
  now?: () => number;
}

export interface SlackIdentity {
  teamId: string;
  teamName: string;
  botUserId: string;
  botId: string;
  appId: string;
}

export interface SlackStats {
  calls: number;
  rateLimited: number;
  errors: number;
  posted: number;
}

/**
 * A driver that plays Slack towards the app (request signing: slack-signature.ts):
 * it POSTs signed slash commands, interactions and events to the app's Bolt
 * HTTP endpoint exactly as Slack does, using trigger_ids and response_urls
 * issued by the SlackEmulator so the app's follow-up Web API calls line up.
 */
import type { SlackEmulator } from './slack-emulator.js';
import type { SlackView } from './slack-emulator.types.js';
import { signSlackRequest } from './slack-signature.js';
import { actionEntry, findElement, viewStateValues } from './slack-signing.payloads.js';

export { signSlackRequest, verifySlackSignature } from './slack-signature.js';

export interface SlackAppDriverOptions {
  appUrl: string;
  signingSecret: string;
  emulator: SlackEmulator;
  /** Clock for request timestamps (ms). Bolt checks them against its own clock: keep it real. */
  now?: () => number;
  /** Endpoint paths; Bolt's default is /slack/events for everything. */
  paths?: { commands?: string; interactions?: string; events?: string };
}

export interface SendOptions {
  /** Send a timestamp older than 5 minutes (true = 6 minutes old, or a number of seconds). */
  staleTimestamp?: boolean | number;
  badSignature?: boolean;
  retryNum?: number;
  retryReason?: string;
}

export interface DriverResponse {
  status: number;
  /** Parsed JSON when the body is JSON, else the text ('' for an empty ack). */
  body: unknown;
  headers: Headers;
}

export interface SlashCommandInput {
  command: string;
  text?: string;
  userId: string;
  channelId?: string;
}

type Obj = Record<string, unknown>;

export class SlackAppDriver {
  private readonly emulator: SlackEmulator;
  private readonly now: () => number;
  private seq = 0;

  constructor(private readonly opts: SlackAppDriverOptions) {
    this.emulator = opts.emulator;
    this.now = opts.now ?? Date.now;
  }

  /** POST a raw body with Slack's headers. */
  async post(path: string, rawBody: string, contentType: string, o: SendOptions = {}): Promise<DriverResponse> {
    const nowSec = Math.floor(this.now() / 1000);
    const ts = o.staleTimestamp ? nowSec - (o.staleTimestamp === true ? 360 : o.staleTimestamp) : nowSec;
    const sig = signSlackRequest(o.badSignature ? `${this.opts.signingSecret}-wrong` : this.opts.signingSecret, rawBody, ts);
    const headers: Record<string, string> = { 'content-type': contentType, 'user-agent': 'Slackbot 1.0 (+https://api.slack.com/robots)', ...sig };
    if (o.retryNum !== undefined) headers['x-slack-retry-num'] = String(o.retryNum);
    if (o.retryReason !== undefined) headers['x-slack-retry-reason'] = o.retryReason;
    const res = await fetch(new URL(path, this.opts.appUrl), { method: 'POST', headers, body: rawBody });
    const text = await res.text();
    let body: unknown = text;
    if (text && (res.headers.get('content-type') ?? '').includes('json')) body = JSON.parse(text);
    else if (text.startsWith('{')) {
      try {
        body = JSON.parse(text);
      } catch {
        /* keep text */
      }
    }
    return { status: res.status, body, headers: res.headers };
  }

  private user(userId: string): Obj {
    return { id: userId, username: userId.toLowerCase(), name: userId.toLowerCase(), team_id: this.emulator.identity.teamId };
  }

  private common(): Obj {
    return {
      token: 'emulator-verification-token',
      api_app_id: this.emulator.identity.appId,
      is_enterprise_install: false,
      enterprise: null,
      team: { id: this.emulator.identity.teamId, domain: 'casework-emulator' },
    };
  }

  /**
   * Slack sends `@name` in a command's text as `<@U…|name>` when the command escapes (as the
   * manifest's /case does); a person typing in the console writes `@ada`.
   */
  private escapeMentions(text: string): string {
    const byName = new Map(this.emulator.users().map((u) => [u.name.toLowerCase(), u.id]));
    return text.replace(/(^|\s)@([A-Za-z0-9._-]+)/g, (m, pre: string, name: string) => {
      const id = byName.get(name.toLowerCase());
      return id ? `${pre}<@${id}|${name}>` : m;
    });
  }

  /** A slash command, form-encoded. Returns the response plus the trigger_id and response_url it carried. */
  async slashCommand(input: SlashCommandInput, o: SendOptions = {}): Promise<DriverResponse & { trigger_id: string; response_url: string }> {
    const channel = input.channelId ?? this.emulator.dmChannel(input.userId);
    const trigger_id = this.emulator.issueTrigger(input.userId);
    const response_url = this.emulator.issueResponseUrl({ channel, user: input.userId, kind: 'command' });
    const form = new URLSearchParams({
      token: 'emulator-verification-token',
      team_id: this.emulator.identity.teamId,
      team_domain: 'casework-emulator',
      channel_id: channel,
      channel_name: this.emulator.channelInfo(channel)?.name ?? 'directmessage',
      user_id: input.userId,
      user_name: input.userId.toLowerCase(),
      command: input.command,
      text: this.escapeMentions(input.text ?? ''),
      api_app_id: this.emulator.identity.appId,
      is_enterprise_install: 'false',
      response_url,
      trigger_id,
    });
    const res = await this.post(this.opts.paths?.commands ?? '/slack/events', form.toString(), 'application/x-www-form-urlencoded', o);
    return { ...res, trigger_id, response_url };
  }

  /** Any interaction payload (block_actions, view_submission, view_closed, shortcut), as form field `payload`. */
  async interaction(payload: Obj, o: SendOptions = {}): Promise<DriverResponse> {
    const body = new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
    return this.post(this.opts.paths?.interactions ?? '/slack/events', body, 'application/x-www-form-urlencoded', o);
  }

  /**
   * Click/select an element found by action_id in a stored message (`{ channel, ts }`)
   * or a view (`{ viewId }`). `value` overrides a button's value or picks an option/user/date.
   */
  async blockAction(
    userId: string,
    source: { channel: string; ts: string } | { viewId: string },
    actionId: string,
    value?: unknown,
    o: SendOptions = {},
  ): Promise<DriverResponse & { trigger_id: string }> {
    const trigger_id = this.emulator.issueTrigger(userId);
    const actionTs = (this.now() / 1000).toFixed(6);
    let payload: Obj;
    if ('viewId' in source) {
      const view = this.emulator.view(source.viewId);
      if (!view) throw new Error(`blockAction: unknown view ${source.viewId}`);
      const found = findElement(view.blocks, actionId);
      if (!found) throw new Error(`blockAction: no element ${actionId} in view ${source.viewId}`);
      payload = {
        type: 'block_actions',
        user: this.user(userId),
        ...this.common(),
        container: { type: 'view', view_id: view.id },
        trigger_id,
        view,
        actions: [actionEntry(found, value, actionTs)],
      };
    } else if (!this.emulator.messages(source.channel).some((m) => m.ts === source.ts) && this.emulator.ephemeral(userId, source.ts)) {
      // An "Only visible to you" message: Slack sends the container (is_ephemeral) and a response_url, but no `message`;
      // the app can change it only through that response_url (replace_original / delete_original).
      const eph = this.emulator.ephemeral(userId, source.ts)!;
      const found = findElement(eph.blocks, actionId);
      if (!found) throw new Error(`blockAction: no element ${actionId} in that message`);
      const response_url = this.emulator.issueResponseUrl({
        channel: eph.channel,
        user: userId,
        message_ts: eph.message_ts,
        kind: 'block_actions',
        ephemeral: true,
      });
      payload = {
        type: 'block_actions',
        user: this.user(userId),
        ...this.common(),
        container: { type: 'message', message_ts: eph.message_ts, channel_id: eph.channel, is_ephemeral: true },
        trigger_id,
        channel: { id: eph.channel, name: this.emulator.channelInfo(eph.channel)?.name ?? 'directmessage' },
        state: { values: {} },
        response_url,
        actions: [actionEntry(found, value, actionTs)],
      };
    } else {
      const msg = this.emulator.messages(source.channel).find((m) => m.ts === source.ts);
      if (!msg) throw new Error(`blockAction: no message ${source.ts} in ${source.channel}`);
      const found = findElement(msg.blocks, actionId, typeof value === 'string' ? value : undefined);
      if (!found) throw new Error(`blockAction: no element ${actionId} in message ${source.ts}`);
      const channel = msg.channel;
      const response_url = this.emulator.issueResponseUrl({ channel, user: userId, message_ts: msg.ts, kind: 'block_actions' });
      const { channel: _c, deleted: _d, edits: _e, ...message } = msg;
      payload = {
        type: 'block_actions',
        user: this.user(userId),
        ...this.common(),
        container: { type: 'message', message_ts: msg.ts, channel_id: channel, is_ephemeral: false },
        trigger_id,
        channel: { id: channel, name: this.emulator.channelInfo(channel)?.name ?? 'directmessage' },
        message,
        state: { values: {} },
        response_url,
        actions: [actionEntry(found, value, actionTs)],
      };
    }
    return { ...(await this.interaction(payload, o)), trigger_id };
  }

  /** Submit an open view with values keyed by block_id → action_id; Slack's handling of the ack is applied to the emulator. */
  async viewSubmission(userId: string, viewId: string, values: Record<string, unknown> = {}, o: SendOptions = {}): Promise<DriverResponse> {
    const view = this.emulator.view(viewId);
    if (!view) throw new Error(`viewSubmission: unknown view ${viewId}`);
    const state = { values: viewStateValues(view.blocks, values) };
    this.emulator.setViewState(viewId, state.values);
    const payload = {
      type: 'view_submission',
      user: this.user(userId),
      ...this.common(),
      trigger_id: this.emulator.issueTrigger(userId),
      view: { ...view, state } as SlackView,
      response_urls: [],
    };
    const res = await this.interaction(payload, o);
    if (res.status === 200) this.emulator.applySubmissionResponse(userId, viewId, res.body);
    return res;
  }

  async viewClosed(userId: string, viewId: string, o: SendOptions = {}): Promise<DriverResponse> {
    const view = this.emulator.view(viewId);
    if (!view) throw new Error(`viewClosed: unknown view ${viewId}`);
    const res = await this.interaction({ type: 'view_closed', user: this.user(userId), ...this.common(), view, is_cleared: false }, o);
    this.emulator.applySubmissionResponse(userId, viewId, undefined);
    return res;
  }

  /** An Events API event_callback envelope (JSON). */
  async event(event: Obj, o: SendOptions & { eventId?: string } = {}): Promise<DriverResponse & { event_id: string }> {
    const event_id = o.eventId ?? `Ev${(this.now() * 1000 + ++this.seq).toString(36).toUpperCase()}`;
    const { teamId, botUserId, appId } = this.emulator.identity;
    const envelope = {
      token: 'emulator-verification-token',
      team_id: teamId,
      api_app_id: appId,
      event: { event_ts: (this.now() / 1000).toFixed(6), ...event },
      type: 'event_callback',
      event_id,
      event_time: Math.floor(this.now() / 1000),
      event_context: `4-${event_id}`,
      authorizations: [{ enterprise_id: null, team_id: teamId, user_id: botUserId, is_bot: true, is_enterprise_install: false }],
      is_ext_shared_channel: false,
    };
    return { ...(await this.post(this.opts.paths?.events ?? '/slack/events', JSON.stringify(envelope), 'application/json', o)), event_id };
  }

  async appHomeOpened(userId: string, o: SendOptions = {}): Promise<DriverResponse & { event_id: string }> {
    const view = this.emulator.homeView(userId);
    return this.event({ type: 'app_home_opened', user: userId, channel: this.emulator.dmChannel(userId), tab: 'home', ...(view ? { view } : {}) }, o);
  }

  /** The user writes to the app in its DM: stored in the emulator, then sent as a message.im event. */
  async directMessage(userId: string, text: string, o: SendOptions & { threadTs?: string } = {}): Promise<DriverResponse & { event_id: string; ts: string }> {
    const m = this.emulator.storeUserMessage(userId, userId, text, o.threadTs);
    const event = {
      type: 'message',
      channel: m.channel,
      user: userId,
      text,
      ts: m.ts,
      team: this.emulator.identity.teamId,
      channel_type: 'im',
      client_msg_id: `cm-${m.ts}`,
      ...(o.threadTs ? { thread_ts: o.threadTs } : {}),
    };
    return { ...(await this.event(event, o)), ts: m.ts };
  }

  async urlVerification(challenge: string, o: SendOptions = {}): Promise<DriverResponse> {
    return this.post(
      this.opts.paths?.events ?? '/slack/events',
      JSON.stringify({ token: 'emulator-verification-token', challenge, type: 'url_verification' }),
      'application/json',
      o,
    );
  }
}

/**
 * A local Slack Web API for tests, the sandbox and benchmarks: real HTTP,
 * real method names and `{ok:false,error}` bodies (HTTP 200), 429 with
 * Retry-After, trigger_id expiry, view stacks and App Home, response_url.
 *
 *   const slack = new SlackEmulator({ users: [...], channels: [...] });
 *   const { url } = await slack.start();
 *   new WebClient(slack.botToken, { slackApiUrl: `${url}/api/` });
 */
import { onEvents, waitForEvent } from './emulator-http.js';
import { SlackEmulatorServer, type SlackMessageView } from './slack-emulator.server.js';
import type { EphemeralMessage, ResponseUrlPost, SlackCallRecord, SlackChannel, SlackUserSeed, SlackView } from './slack-emulator.types.js';

export * from './slack-emulator.types.js';
export type { SlackEmulatorOptions, SlackMessageView } from './slack-emulator.server.js';

/** Set-up and hooks used by the driver, and inspection. */
export class SlackEmulator extends SlackEmulatorServer {
  addUser(user: SlackUserSeed): void {
    this.state.addUser(user);
  }

  addChannel(channel: { id: string; name: string; is_private?: boolean; is_archived?: boolean; members?: string[] }): SlackChannel {
    return this.state.addChannel(channel);
  }

  /** Force a permanent error (channel_not_found, is_archived, …) for every call on that channel (or user's DM). */
  /** The next `times` calls of `method` get HTTP 429 with Retry-After (tests of what a rate limit must not lose). */
  rateLimitNext(method: string, times = 1, retryAfterSec = 1): void {
    this.forced429.set(method, { times, retryAfterSec });
  }

  failChannel(channelOrUserId: string, error: string): void {
    this.state.failures.set(channelOrUserId, error);
  }

  unfailChannel(channelOrUserId: string): void {
    this.state.failures.delete(channelOrUserId);
  }

  /** Issue a trigger_id for a user interaction (valid for triggerTtlMs, single use). */
  issueTrigger(userId: string): string {
    return this.state.views.issueTrigger(userId);
  }

  /** A response_url for an interaction; posts to it are recorded (and applied). */
  issueResponseUrl(context: ResponseUrlPost['context']): string {
    const id = this.state.newId('R').toLowerCase();
    this.responseUrls.set(id, { context, at: this.state.now(), uses: 0 });
    return `${this.url}/response/${id}`;
  }

  /** The DM channel between the app and a user (created on first use, like conversations.open). */
  dmChannel(userId: string): string {
    return this.state.imFor(userId).id;
  }

  /** Record a message from a user (what Slack stores before sending a message event). */
  storeUserMessage(channel: string, user: string, text: string, threadTs?: string): SlackMessageView {
    const ch = this.state.channel(channel, { allowUser: true });
    return this.viewOf(this.state.store(ch.id, { user, team: this.identity.teamId, text, ...(threadTs ? { thread_ts: threadTs } : {}) }));
  }

  /** Set the state.values a user typed into a view before a submission. */
  setViewState(viewId: string, values: SlackView['state']['values']): void {
    const v = this.state.views.views.get(viewId);
    if (!v) throw new Error(`setViewState: unknown view ${viewId}`);
    v.state = { values };
  }

  applySubmissionResponse(userId: string, viewId: string, body: unknown): void {
    this.state.views.applySubmissionResponse(userId, viewId, body);
  }

  // ── inspection ─────────────────────────────────────────────────────────
  /** Messages in a channel (id, or a user id for the DM), oldest first, thread replies included. */
  messages(channelOrUserId: string, opts: { includeDeleted?: boolean } = {}): SlackMessageView[] {
    const id = this.resolve(channelOrUserId);
    return (this.state.messages.get(id) ?? []).filter((m) => opts.includeDeleted || !m.deleted).map((m) => this.viewOf(m));
  }

  dmWith(userId: string): SlackMessageView[] {
    return this.messages(userId);
  }

  thread(channelOrUserId: string, threadTs: string): SlackMessageView[] {
    return this.messages(channelOrUserId).filter((m) => m.ts === threadTs || m.thread_ts === threadTs);
  }

  ephemerals(filter: { channel?: string; user?: string } = {}): EphemeralMessage[] {
    return this.state.ephemerals.filter((e) => (!filter.channel || e.channel === this.resolve(filter.channel)) && (!filter.user || e.user === filter.user));
  }

  /** One ephemeral message a user sees (not deleted by the app), by its message_ts. */
  ephemeral(userId: string, messageTs: string): EphemeralMessage | undefined {
    return this.state.ephemerals.find((e) => e.user === userId && e.message_ts === messageTs && !e.deleted);
  }

  /** The user dismissed an ephemeral message in the client (the app is not told, as in Slack). */
  dismissEphemeral(userId: string, messageTs: string): boolean {
    const e = this.ephemeral(userId, messageTs);
    if (!e || e.dismissed) return false;
    e.dismissed = true;
    this.emit('ephemeral', e);
    return true;
  }

  homeView(userId: string): SlackView | undefined {
    return this.state.views.homeView(userId);
  }

  /** The user's modal stack, bottom (root) first. */
  openViews(userId: string): SlackView[] {
    return this.state.views.openViews(userId);
  }

  view(viewId: string): SlackView | undefined {
    return this.state.views.view(viewId);
  }

  /** Every conversation (channels, DMs, group DMs). */
  channels(): SlackChannel[] {
    return [...this.state.channels.values()];
  }

  users(): SlackUserSeed[] {
    return [...this.state.users.values()];
  }

  channelInfo(id: string): SlackChannel | undefined {
    return this.state.channels.get(id);
  }

  /** Next message posted to the channel (or the user's DM) matching `predicate`. */
  waitForMessage(
    channelOrUserId: string,
    predicate: (m: SlackMessageView) => boolean = () => true,
    opts: { timeoutMs?: number; afterTs?: string; includeUpdates?: boolean } = {},
  ): Promise<SlackMessageView> {
    const match = (m: SlackMessageView) => m.channel === this.resolve(channelOrUserId) && predicate(m);
    if (opts.afterTs !== undefined) {
      const hit = this.messages(channelOrUserId).find((m) => Number(m.ts) > Number(opts.afterTs) && predicate(m));
      if (hit) return Promise.resolve(hit);
    }
    return waitForEvent<SlackMessageView>(
      onEvents(this, ['message', ...(opts.includeUpdates ? ['update'] : [])]),
      match,
      opts.timeoutMs ?? 5000,
      `a Slack message in ${channelOrUserId}`,
    );
  }

  waitForCall(method: string, predicate: (c: SlackCallRecord) => boolean = () => true, opts: { timeoutMs?: number } = {}): Promise<SlackCallRecord> {
    return waitForEvent<SlackCallRecord>(onEvents(this, ['call']), (c) => c.method === method && predicate(c), opts.timeoutMs ?? 5000, `a ${method} call`);
  }
}

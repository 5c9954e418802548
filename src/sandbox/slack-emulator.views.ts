/**
 * Modals and App Home: trigger_ids (issued by the emulator, single use, expire
 * after ~3 s), per-user view stacks (max 3), hash checks, views.publish, and
 * what Slack does with a view_submission ack (errors/update/push/clear/close).
 */
import { boolParam, type Params } from './emulator-http.js';
import { parseView } from './slack-emulator.blocks.js';
import { SlackApiError, type SlackUserSeed, type SlackView } from './slack-emulator.types.js';

/** What the views need from the workspace. */
export interface ViewWorkspace {
  readonly id: { teamId: string; appId: string; botId: string };
  now(): number;
  user(id: unknown): SlackUserSeed;
}

export class SlackViews {
  readonly views = new Map<string, SlackView & { user: string }>();
  readonly stacks = new Map<string, string[]>();
  readonly homes = new Map<string, string>();
  readonly triggers = new Map<string, { user: string; issuedAt: number; used: boolean }>();
  private seq = 0;

  constructor(
    private readonly ws: ViewWorkspace,
    private readonly triggerTtlMs: number,
  ) {}

  issueTrigger(user: string): string {
    const id = `${Math.floor(this.ws.now() / 1000)}.${this.ws.id.teamId.replace(/\D/g, '') || '1'}${++this.seq}.${Math.random().toString(16).slice(2, 18)}`;
    this.triggers.set(id, { user, issuedAt: this.ws.now(), used: false });
    return id;
  }

  private newId(): string {
    return `V0${(++this.seq).toString(36).toUpperCase().padStart(8, '0')}`;
  }

  private exchangeTrigger(p: Params): string {
    const id = String(p.trigger_id ?? p.interactivity_pointer ?? '');
    if (!id) throw new SlackApiError('invalid_arguments', { response_metadata: { messages: ['[ERROR] missing required field: trigger_id'] } });
    const t = this.triggers.get(id);
    if (!t) throw new SlackApiError('invalid_trigger_id');
    if (t.used) throw new SlackApiError('exchanged_trigger_id');
    if (this.ws.now() - t.issuedAt >= this.triggerTtlMs) throw new SlackApiError('expired_trigger_id');
    t.used = true;
    return t.user;
  }

  private makeView(
    raw: Record<string, unknown>,
    user: string,
    id: string,
    root: string,
    previous: string | null,
    state?: SlackView['state'],
  ): SlackView & { user: string } {
    return {
      id,
      team_id: this.ws.id.teamId,
      type: raw.type as 'modal' | 'home',
      blocks: raw.blocks as unknown[],
      ...(raw.title ? { title: raw.title } : {}),
      ...(raw.submit ? { submit: raw.submit } : {}),
      ...(raw.close ? { close: raw.close } : {}),
      private_metadata: String(raw.private_metadata ?? ''),
      callback_id: String(raw.callback_id ?? ''),
      external_id: String(raw.external_id ?? ''),
      state: state ?? { values: {} },
      hash: `${Math.floor(this.ws.now() / 1000)}.${(++this.seq).toString(16)}`,
      clear_on_close: boolParam(raw.clear_on_close),
      notify_on_close: boolParam(raw.notify_on_close),
      root_view_id: root,
      previous_view_id: previous,
      app_id: this.ws.id.appId,
      app_installed_team_id: this.ws.id.teamId,
      bot_id: this.ws.id.botId,
      user,
    };
  }

  private publicView(v: SlackView & { user: string }): SlackView {
    const { user: _user, ...view } = v;
    return view;
  }

  open(p: Params, push: boolean): Record<string, unknown> {
    const raw = parseView(p.view, 'modal');
    const user = this.exchangeTrigger(p);
    if (raw.external_id && [...this.views.values()].some((v) => v.external_id === raw.external_id)) throw new SlackApiError('duplicate_external_id');
    const stack = push ? (this.stacks.get(user) ?? []) : [];
    if (push && stack.length === 0) throw new SlackApiError('not_found');
    if (push && stack.length >= 3) throw new SlackApiError('push_limit_reached');
    const id = this.newId();
    const view = this.makeView(raw, user, id, stack[0] ?? id, stack.at(-1) ?? null);
    this.views.set(id, view);
    this.stacks.set(user, [...stack, id]);
    return { view: this.publicView(view) };
  }

  update(p: Params): Record<string, unknown> {
    const existing = p.view_id
      ? this.views.get(String(p.view_id))
      : [...this.views.values()].find((v) => v.external_id && v.external_id === String(p.external_id ?? ''));
    if (!existing) throw new SlackApiError('not_found');
    if (p.hash && String(p.hash) !== existing.hash) throw new SlackApiError('hash_conflict');
    const raw = parseView(p.view, existing.type);
    const view = this.makeView(raw, existing.user, existing.id, existing.root_view_id, existing.previous_view_id, existing.state);
    this.views.set(existing.id, view);
    return { view: this.publicView(view) };
  }

  publish(p: Params): Record<string, unknown> {
    const user = this.ws.user(p.user_id).id;
    const raw = parseView(p.view, 'home');
    const currentId = this.homes.get(user);
    const current = currentId ? this.views.get(currentId) : undefined;
    if (p.hash && current && String(p.hash) !== current.hash) throw new SlackApiError('hash_conflict');
    const id = currentId ?? this.newId();
    const view = this.makeView(raw, user, id, id, null, current?.state);
    this.views.set(id, view);
    this.homes.set(user, id);
    return { view: this.publicView(view) };
  }

  /** Apply Slack's handling of a view_submission ack body to the user's stack. */
  applySubmissionResponse(user: string, viewId: string, body: unknown): void {
    const stack = this.stacks.get(user) ?? [];
    const r = (body && typeof body === 'object' ? body : {}) as Record<string, unknown>;
    switch (r.response_action) {
      case 'errors':
        return;
      case 'clear':
        this.stacks.set(user, []);
        return;
      case 'update': {
        const v = this.views.get(viewId);
        if (v) this.views.set(viewId, this.makeView(parseView(r.view, 'modal'), user, viewId, v.root_view_id, v.previous_view_id));
        return;
      }
      case 'push': {
        const id = this.newId();
        this.views.set(id, this.makeView(parseView(r.view, 'modal'), user, id, stack[0] ?? id, viewId));
        this.stacks.set(user, [...stack, id]);
        return;
      }
      default:
        this.stacks.set(
          user,
          stack.filter((id) => id !== viewId),
        );
    }
  }

  openViews(user: string): SlackView[] {
    return (this.stacks.get(user) ?? []).map((id) => this.publicView(this.views.get(id)!));
  }

  view(id: string): SlackView | undefined {
    const v = this.views.get(id);
    return v ? this.publicView(v) : undefined;
  }

  homeView(user: string): SlackView | undefined {
    const id = this.homes.get(user);
    return id ? this.view(id) : undefined;
  }
}

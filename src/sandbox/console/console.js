// @ts-check — checked with: npx tsc --ignoreConfig --noEmit --allowJs --checkJs --strict false --lib es2022,dom,dom.iterable --target es2022 --module esnext src/sandbox/console/console.js
/**
 * The sandbox console: renders what the emulators hold (the client's Telegram
 * chat; each staff member's Slack DMs, App Home, open modals and channels) and
 * sends every action through the service's real paths via /sandbox/api.
 * Block Kit rendered: header, section (text, fields, accessory), context,
 * divider, actions (button, static/users select, overflow, date/time pickers,
 * radio, checkboxes), and input blocks in modals (plain_text_input incl.
 * multiline, selects, multi-selects shown as checkboxes, pickers, radio, checkboxes).
 * "Only visible to you" messages sit in time order in their conversation, with
 * working buttons and a Dismiss button. Conversations follow new messages unless
 * the reader scrolled up; tabs with messages not seen yet carry a "new" marker
 * (cleared once the tab is shown, scrolled to the end).
 */
const api = '/sandbox/api';
/** @type {any} */ let state = null;
/** UI state per pane: chosen person, tab; the chosen demo client; modal errors per view id. */
const ui = { worker: { user: '', tab: 'home' }, supervisor: { user: '', tab: 'home' }, client: 0 };
/** Newest item seen per conversation ("client:<id>", "<slack user>:<tab>"): a newer one marks the tab "new". */
/** @type {Map<string, string>} */ const seen = new Map();
let firstState = true;
/** What each pane was last drawn from: an unchanged pane is not redrawn. */
/** @type {WeakMap<HTMLElement, string>} */ const drawn = new WeakMap();
/** @type {Record<string, Record<string, string>>} */ const viewErrors = {};

const $ = (/** @type {string} */ sel) => /** @type {HTMLElement} */ (document.querySelector(sel));
const esc = (/** @type {unknown} */ s) =>
  String(s ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);
function say(msg, kind = 'error') {
  const el = $('#status');
  el.textContent = msg;
  el.dataset.kind = kind;
}

async function post(path, body) {
  const res = await fetch(api + path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const out = await res.json().catch(() => ({ ok: false, error: `HTTP ${res.status}` }));
  if (!out.ok) say(`Not done: ${out.error}`);
  else say('');
  await refresh();
  return out;
}

function nameOf(id) {
  return state?.staff.find((p) => p.slackUserId === id)?.name ?? id;
}
/** Slack mrkdwn → safe HTML: *bold*, _italic_, ~strike~, `code`, <url|label>, <@U…>, <!here>. */
function mrkdwn(text) {
  let h = esc(text);
  h = h.replace(/&lt;@([A-Z0-9]+)(?:\|[^&]*)?&gt;/g, (_, id) => `<b>@${esc(nameOf(id))}</b>`);
  h = h.replace(/&lt;!(\w+)(?:\|[^&]*)?&gt;/g, '<b>@$1</b>');
  h = h.replace(/&lt;(https?:[^|&]+)\|([^&]+)&gt;/g, '<a href="$1" target="_blank" rel="noreferrer">$2</a>');
  h = h.replace(/&lt;(https?:[^&]+)&gt;/g, '<a href="$1" target="_blank" rel="noreferrer">$1</a>');
  h = h
    .replace(/`([^`]+)`/g, '<code>$1</code>')
    .replace(/(^|\s)\*([^*\n]+)\*/g, '$1<b>$2</b>')
    .replace(/(^|\s)_([^_\n]+)_/g, '$1<i>$2</i>')
    .replace(/(^|\s)~([^~\n]+)~/g, '$1<s>$2</s>');
  return h;
}
const txt = (t) => (!t ? '' : t.type === 'mrkdwn' ? mrkdwn(t.text) : esc(t.text));
const opts = (el) => [...(el.options ?? []), ...(el.option_groups ?? []).flatMap((g) => g.options)];
/** Slack ts → a string that sorts in time order ("1764403200.000123" → "000001764403200000123"). */
const tsKey = (/** @type {string} */ ts) => {
  const [a = '', b = ''] = String(ts).split('.');
  return a.padStart(14, '0') + b.padEnd(6, '0');
};
const newer = (/** @type {string|undefined} */ a, /** @type {string|undefined} */ b) => (a ?? '') > (b ?? '');

/** True when the element is scrolled to (near) its end. */
const atEnd = (/** @type {HTMLElement|null} */ el) => !el || el.scrollHeight - el.scrollTop - el.clientHeight < 40;
/** Is there something newer than what was seen in this conversation? What the console shows at its first load counts as seen. */
function unread(key, latest) {
  if (!seen.has(key)) seen.set(key, firstState ? latest : '');
  return newer(latest, seen.get(key));
}
const marker = (on) => (on ? ' <span class="unread">● new</span>' : '');

/** One interactive element. ctx: { user, source, inModal, blockId } */
function element(el, ctx) {
  const data = `data-action="${esc(el.action_id)}"`;
  const staffOptions = () =>
    state.staff.map((p) => `<option value="${p.slackUserId}" ${el.initial_user === p.slackUserId ? 'selected' : ''}>${esc(p.name)}</option>`).join('');
  switch (el.type) {
    case 'button':
      return `<button type="button" class="${el.style === 'primary' ? 'primary' : el.style === 'danger' ? 'danger' : ''}" ${data} data-kind="button">${esc(el.text?.text)}</button>`;
    case 'static_select':
    case 'overflow': {
      const initial = el.initial_option?.value;
      const ph = el.placeholder?.text ?? (el.type === 'overflow' ? '⋯' : 'Choose…');
      return `<select ${data} data-kind="select" aria-label="${esc(ph)}"><option value="">${esc(ph)}</option>${opts(el)
        .map((o) => `<option value="${esc(o.value)}" ${o.value === initial ? 'selected' : ''}>${esc(o.text.text)}</option>`)
        .join('')}</select>`;
    }
    case 'users_select':
      return `<select ${data} data-kind="select" aria-label="${esc(el.placeholder?.text ?? 'Choose a person')}"><option value="">${esc(el.placeholder?.text ?? 'Choose a person…')}</option>${staffOptions()}</select>`;
    case 'datepicker':
      return `<input type="date" ${data} data-kind="date" value="${esc(el.initial_date ?? '')}" aria-label="${esc(el.placeholder?.text ?? 'Date')}">`;
    case 'timepicker':
      return `<input type="time" ${data} data-kind="time" value="${esc(el.initial_time ?? '')}" aria-label="${esc(el.placeholder?.text ?? 'Time')}">`;
    case 'plain_text_input':
      return el.multiline
        ? `<textarea ${data} data-kind="text" rows="4" ${el.max_length ? `maxlength="${el.max_length}"` : ''}>${esc(el.initial_value ?? '')}</textarea>`
        : `<input type="text" ${data} data-kind="text" value="${esc(el.initial_value ?? '')}" ${el.max_length ? `maxlength="${el.max_length}"` : ''}>`;
    case 'radio_buttons':
      return `<div role="radiogroup" ${data} data-kind="radio">${opts(el)
        .map(
          (o) =>
            `<label><input type="radio" name="${esc(ctx.blockId + el.action_id)}" value="${esc(o.value)}" ${el.initial_option?.value === o.value ? 'checked' : ''}> ${txt(o.text)}</label>`,
        )
        .join('<br>')}</div>`;
    // A multi-select (the handover's cases, a resource's categories) is shown as checkboxes: same values, easier to click.
    case 'multi_static_select':
    case 'checkboxes':
      return `<div ${data} data-kind="checks">${opts(el)
        .map(
          (o) =>
            `<label><input type="checkbox" value="${esc(o.value)}" ${(el.initial_options ?? []).some((x) => x.value === o.value) ? 'checked' : ''}> ${txt(o.text)}</label>`,
        )
        .join('<br>')}</div>`;
    default:
      return `<span class="empty">[${esc(el.type)}]</span>`;
  }
}

/** Blocks → HTML. Elements carry data-action; the container carries the source (message or view). */
function blocks(list, ctx) {
  return (list ?? [])
    .map((b, i) => {
      const blockId = b.block_id ?? `blk${i}`;
      const c = { ...ctx, blockId };
      switch (b.type) {
        case 'header':
          return `<div class="blk header">${txt(b.text)}</div>`;
        case 'divider':
          return '<div class="blk"><hr></div>';
        case 'context':
          return `<div class="blk context">${(b.elements ?? []).map((e) => (e.type === 'image' ? '' : txt(e))).join(' · ')}</div>`;
        case 'section':
          return `<div class="blk section"><div>${txt(b.text)}${
            b.fields
              ? `<div class="fields">${b.fields
                  .map(txt)
                  .map((f) => `<div>${f}</div>`)
                  .join('')}</div>`
              : ''
          }</div>${b.accessory ? element(b.accessory, c) : ''}</div>`;
        case 'actions':
          return `<div class="blk actions" data-block="${esc(blockId)}">${(b.elements ?? []).map((e) => element(e, c)).join('')}</div>`;
        case 'input': {
          const err = ctx.errors?.[blockId];
          const id = `in-${ctx.viewId}-${blockId}`;
          return `<div class="input" data-block="${esc(blockId)}" data-dispatch="${b.dispatch_action ? 1 : ''}"><label for="${esc(id)}">${esc(b.label?.text)}${b.optional ? ' <small>(optional)</small>' : ''}</label>${element(
            b.element,
            c,
          )
            .replace(/ aria-label="[^"]*"/, '')
            .replace(
              /^<(\w+)/,
              `<$1 id="${esc(id)}"`,
            )}${b.hint ? `<span class="hint">${txt(b.hint)}</span>` : ''}${err ? `<span class="error" role="alert">${esc(err)}</span>` : ''}</div>`;
        }
        case 'rich_text':
          return `<div class="blk">${esc(JSON.stringify(b.elements).slice(0, 200))}</div>`;
        default:
          return `<div class="blk empty">[${esc(b.type)}]</div>`;
      }
    })
    .join('');
}

function inputValue(node) {
  const kind = node.dataset.kind;
  if (kind === 'radio') return /** @type {HTMLInputElement|null} */ (node.querySelector('input:checked'))?.value;
  if (kind === 'checks') return [...node.querySelectorAll('input:checked')].map((i) => /** @type {HTMLInputElement} */ (i).value);
  const v = /** @type {HTMLInputElement} */ (node).value;
  return v === '' ? undefined : v;
}

function message(m, user, channel) {
  const who = m.bot_id || m.ephemeral ? 'Casework app' : nameOf(m.user);
  const when = new Date(Number(m.ts) * 1000).toLocaleString();
  const body = m.blocks?.length ? blocks(m.blocks, { user }) : `<div class="blk">${mrkdwn(m.text)}</div>`;
  // Files shared with files.uploadV2 (record exports): name, size and a download link.
  const files = (m.files ?? [])
    .map(
      (f) =>
        `<div class="blk file">📎 <a href="${api}/slack/files/${encodeURIComponent(f.id)}" download="${esc(f.name)}">${esc(f.title || f.name)}</a> <small>${esc(f.name)} · ${Math.max(1, Math.round((f.size ?? 0) / 1024))} KB</small></div>`,
    )
    .join('');
  if (m.ephemeral) {
    return `<div class="msg ephemeral" data-channel="${esc(m.channel)}" data-ts="${esc(m.ts)}"><div class="meta"><span class="only-you">Only visible to you</span> · ${esc(who)} · ${esc(when)}${m.replaced ? ' · updated' : ''} <button type="button" class="dismiss" data-dismiss aria-label="Dismiss this message (only you see it)">Dismiss</button></div>${body}</div>`;
  }
  return `<div class="msg" data-channel="${esc(channel)}" data-ts="${esc(m.ts)}"><div class="meta">${esc(who)} · ${esc(when)}${m.edits?.length ? ' · edited' : ''}</div>${m.text || !files ? body : ''}${files}</div>`;
}

/** A conversation in time order: its messages (threads under their parent) and the person's "Only visible to you" messages. */
function conversation(list, user, channel, ephemerals = []) {
  const top = [...list.filter((m) => !m.thread_ts || m.thread_ts === m.ts), ...ephemerals.map((x) => ({ ...x, ephemeral: true }))].sort((a, b) =>
    tsKey(a.ts) < tsKey(b.ts) ? -1 : 1,
  );
  if (!top.length) return '<p class="empty">Nothing here yet.</p>';
  return top
    .map(
      (m) =>
        message(m, user, channel) +
        (() => {
          if (m.ephemeral) return '';
          const replies = list.filter((r) => r.thread_ts === m.ts && r.ts !== m.ts);
          return replies.length ? `<div class="thread">${replies.map((r) => message(r, user, channel)).join('')}</div>` : '';
        })(),
    )
    .join('');
}

/** A staff member's conversation tabs: their DM ("Messages") and the channels the pane shows, each with its ephemerals. */
function conversationsOf(pane, me) {
  const chans = state.channels.filter((c) => pane === 'supervisor' || c.name !== 'supervision');
  const shown = new Set(chans.map((c) => c.id));
  // Ephemerals in a conversation the pane has no tab for appear with the DM.
  const eph = (id) => me.ephemerals.filter((x) => (id === 'dm' ? x.channel === me.dmChannel || !shown.has(x.channel) : x.channel === id));
  return [
    { key: 'dm', label: 'Messages', channel: me.dmChannel, list: me.dm, ephemerals: eph('dm') },
    ...chans.map((c) => ({ key: c.id, label: `#${c.name}`, channel: c.id, list: c.messages, ephemerals: eph(c.id) })),
  ].map((c) => ({ ...c, latest: [...c.list.map((m) => m.ts), ...c.ephemerals.map((x) => x.ts)].map(tsKey).sort().at(-1) ?? '' }));
}

function renderStaffPane(pane) {
  const root = $(`#${pane}-pane`);
  const people = state.staff.filter((p) => p.pane === pane);
  const u = ui[pane];
  if (!people.some((p) => p.slackUserId === u.user)) u.user = people[0].slackUserId;
  const me = state.staff.find((p) => p.slackUserId === u.user);
  const convs = conversationsOf(pane, me);
  /** @type {Array<[string, string, boolean]>} */ const tabs = [
    ['home', 'App Home', false],
    ...convs.map((c) => /** @type {[string, string, boolean]} */ ([c.key, c.label, false])),
  ];
  if (!tabs.some(([k]) => k === u.tab)) u.tab = 'home';
  const oldBody = /** @type {HTMLElement|null} */ (root.querySelector('.staff-body'));
  const followEnd = !oldBody || oldBody.dataset.shows !== `${u.user}:${u.tab}` || atEnd(oldBody);
  const current = convs.find((c) => c.key === u.tab);
  // The open tab is seen once it is shown scrolled to the end.
  if (current && followEnd) seen.set(`${me.slackUserId}:${current.key}`, current.latest);
  for (const t of tabs) t[2] = convs.some((c) => c.key === t[0] && unread(`${me.slackUserId}:${c.key}`, c.latest));
  // Someone else in this pane has new messages of their own (their DM, their "only visible to you" messages).
  const othersNew = (p) =>
    p.slackUserId !== me.slackUserId && conversationsOf(pane, p).some((c) => c.key === 'dm' && unread(`${p.slackUserId}:${c.key}`, c.latest));
  const view = me.views.at(-1);
  let body = '';
  if (view) {
    const errors = viewErrors[view.id] ?? {};
    body += `<form class="modal" data-view="${esc(view.id)}" aria-label="${esc(view.title?.text)}"><h3>${esc(view.title?.text)}</h3>${blocks(view.blocks, { user: me.slackUserId, viewId: view.id, inModal: true, errors })}
      <div class="buttons"><button type="button" data-close>${esc(view.close?.text ?? 'Cancel')}</button>${view.submit ? `<button type="submit" class="primary">${esc(view.submit.text)}</button>` : ''}</div></form>`;
  }
  if (u.tab === 'home') {
    body += `<div class="home"><button type="button" data-open-home>Open / refresh App Home</button>${me.home ? `<div class="view" data-view="${esc(me.home.id)}">${blocks(me.home.blocks, { user: me.slackUserId, viewId: me.home.id })}</div>` : '<p class="empty">App Home not opened yet.</p>'}</div>`;
  } else if (current) {
    body += conversation(current.list, me.slackUserId, current.channel, current.ephemerals);
  }
  const html = `<h2>${pane === 'worker' ? 'Worker' : 'Supervisor'} <small>Slack</small>${people.some(othersNew) ? ' <span class="unread">● new for someone else (see “As”)</span>' : ''}</h2>
    <div class="who"><label>As <select data-who>${people.map((p) => `<option value="${p.slackUserId}" ${p.slackUserId === u.user ? 'selected' : ''}>${esc(p.name)} (${p.role}, ${esc(p.timeZone)})${othersNew(p) ? ' — new messages' : ''}</option>`).join('')}</select></label>
    <div class="tabs" role="tablist">${tabs.map(([k, l, n]) => `<button type="button" role="tab" aria-selected="${k === u.tab}" data-tab="${esc(k)}">${esc(l)}${marker(n)}</button>`).join('')}</div></div>
    <div class="staff-body" data-shows="${esc(`${u.user}:${u.tab}`)}">${body}</div>
    <form class="composer" data-command><label class="sr-only" for="${pane}-cmd">Slash command or message</label><input id="${pane}-cmd" placeholder="/case help  ·  or a message to the app" maxlength="500"><button type="submit">Send</button></form>`;
  // Nothing changed for this pane: keep the page as it is (a click in progress is not lost, the scroll position stays).
  if (drawn.get(root) === html) return;
  drawn.set(root, html);
  // Keep what the person has typed or picked in an open modal across redraws (ids include the view id).
  /** @type {Map<string, string>} */ const kept = new Map();
  root.querySelectorAll('form.modal [id]').forEach((n) => {
    if ('value' in n) kept.set(n.id, /** @type {HTMLInputElement} */ (n).value);
  });
  const scrollTop = oldBody?.scrollTop ?? 0;
  root.innerHTML = html;
  root.querySelectorAll('form.modal [id]').forEach((n) => {
    const v = kept.get(n.id);
    if (v !== undefined && 'value' in n) /** @type {HTMLInputElement} */ (n).value = v;
  });
  const newBody = /** @type {HTMLElement} */ (root.querySelector('.staff-body'));
  // Follow new messages in a conversation, unless the reader had scrolled up to read.
  newBody.scrollTop = current && followEnd ? newBody.scrollHeight : scrollTop;
  newBody.addEventListener('scroll', () => {
    if (current && atEnd(newBody) && newer(current.latest, seen.get(`${me.slackUserId}:${current.key}`))) renderStaffPane(pane);
  });
}

/** Telegram message ids grow within a chat: the newest one, as a sortable key. */
const latestOf = (c) => String(c.messages.at(-1)?.message_id ?? 0).padStart(12, '0');

function renderClient() {
  const clients = state.clients;
  if (!clients[ui.client]) ui.client = 0;
  const me = clients[ui.client];
  const list = $('#client-chat');
  const followEnd = list.dataset.client !== String(me.user.id) || atEnd(list);
  if (followEnd) seen.set(`client:${me.user.id}`, latestOf(me));
  const tabs = clients
    .map(
      (c, i) =>
        `<button type="button" role="tab" aria-selected="${i === ui.client}" data-client="${i}">${esc(c.label)}${marker(unread(`client:${c.user.id}`, latestOf(c)))}</button>`,
    )
    .join('');
  if ($('#client-tabs').innerHTML !== tabs) $('#client-tabs').innerHTML = tabs;
  /** @type {HTMLTextAreaElement} */ ($('#client-text')).placeholder = `Write as ${me.user.first_name}… (Enter sends, Shift+Enter for a new line)`;
  list.dataset.client = String(me.user.id);
  const html =
    me.messages
      .map((m) => {
        const mine = !m.from?.is_bot;
        const kb = m.reply_markup?.inline_keyboard;
        const keys = kb
          ? `<div class="kb">${kb.map((row) => `<div class="kb-row">${row.map((b) => (b.callback_data ? `<button type="button" data-msg="${m.message_id}" data-cb="${esc(b.callback_data)}">${esc(b.text)}</button>` : b.url ? `<a href="${esc(b.url)}">${esc(b.text)}</a>` : '')).join('')}</div>`).join('')}</div>`
          : '';
        return `<li class="${mine ? 'me' : 'bot'}">${esc(m.text ?? (m.photo ? '[photo]' : m.sticker ? '[sticker]' : '[message]'))}${keys}<time>${new Date(m.date * 1000).toLocaleString()}</time></li>`;
      })
      .join('') || `<li class="empty">Say hello to the bot as ${esc(me.user.first_name)} — try /start</li>`;
  // Unchanged: leave the chat alone (no lost click, no jump).
  if (drawn.get(list) === html) return;
  drawn.set(list, html);
  list.innerHTML = html;
  // Follow new messages, unless the reader had scrolled up to read.
  if (followEnd) list.scrollTop = list.scrollHeight;
}

function render() {
  $('#clock-now').textContent = new Date(state.now).toLocaleString() + (state.offsetMs ? ` (+${Math.round(state.offsetMs / 3_600_000)} h)` : '');
  renderClient();
  // Do not redraw a pane while someone is typing in it (a modal or the composer).
  for (const pane of ['worker', 'supervisor']) {
    const root = $(`#${pane}-pane`);
    if (root.contains(document.activeElement) && document.activeElement?.matches('input, textarea, select')) continue;
    renderStaffPane(pane);
  }
  firstState = false;
}

async function refresh() {
  const res = await fetch(`${api}/state`);
  state = await res.json();
  render();
}

// ── events ────────────────────────────────────────────────────────────────
$('#client-form').addEventListener('submit', async (e) => {
  e.preventDefault();
  const box = /** @type {HTMLTextAreaElement} */ ($('#client-text'));
  const text = box.value;
  if (!text.trim()) return say('Type a message first.');
  const out = await post('/client/text', { client: state.clients[ui.client].user.id, text });
  // Clear only what was sent: a hurried next message typed while this one was on its way stays in the box.
  if (out.ok && box.value === text) box.value = '';
});
$('#client-text').addEventListener('keydown', (e) => {
  if (e.key === 'Enter' && !e.shiftKey) {
    e.preventDefault();
    /** @type {HTMLFormElement} */
    ($('#client-form')).requestSubmit();
  }
});
$('#client-chat').addEventListener('click', (e) => {
  const b = /** @type {HTMLElement} */ (e.target).closest('button[data-cb]');
  // The bot's answerCallbackQuery text is Telegram's small pop-up: shown in the status line.
  if (b instanceof HTMLElement)
    void post('/client/click', { client: state.clients[ui.client].user.id, messageId: Number(b.dataset.msg), data: b.dataset.cb }).then((out) => {
      if (out.ok && out.result?.text) say(`Telegram pop-up: ${out.result.text}`, 'info');
    });
});
$('#client-tabs').addEventListener('click', (e) => {
  const t = /** @type {HTMLElement} */ (e.target).closest('[data-client]');
  if (t instanceof HTMLElement) {
    ui.client = Number(t.dataset.client);
    renderClient();
  }
});
$('#client-chat').addEventListener('scroll', () => {
  const me = state?.clients[ui.client];
  if (me && atEnd($('#client-chat')) && newer(latestOf(me), seen.get(`client:${me.user.id}`))) renderClient();
});
document.querySelectorAll('.clock button[data-hours]').forEach((b) =>
  b.addEventListener('click', () => {
    void post('/clock', { hours: Number(/** @type {HTMLElement} */ (b).dataset.hours) });
  }),
);
// "Next event": to the earliest reminder, nudge, escalation step or deadline, and no further.
$('#clock-next').addEventListener('click', () => {
  void post('/clock/next', {}).then((out) => {
    if (out.ok) say(out.result.message, 'info');
  });
});

for (const pane of /** @type {const} */ (['worker', 'supervisor'])) {
  const root = $(`#${pane}-pane`);
  const user = () => ui[pane].user;
  const sourceOf = (node) => {
    const v = node.closest('[data-view]');
    if (v) return { viewId: v.dataset.view };
    const m = node.closest('[data-ts]');
    return m ? { channel: m.dataset.channel, ts: m.dataset.ts } : null;
  };
  root.addEventListener('click', async (e) => {
    const t = /** @type {HTMLElement} */ (e.target);
    const tab = t.closest('[data-tab]');
    if (tab instanceof HTMLElement) {
      ui[pane].tab = tab.dataset.tab ?? 'home';
      return render();
    }
    if (t.matches('[data-open-home]')) return void post('/slack/home', { user: user() });
    if (t.matches('[data-dismiss]')) return void post('/slack/dismiss', { user: user(), ts: /** @type {HTMLElement} */ (t.closest('[data-ts]')).dataset.ts });
    if (t.matches('[data-close]')) {
      /** @type {HTMLElement|null} */ (document.activeElement)?.blur();
      const v = /** @type {HTMLElement|null} */ (t.closest('[data-view]'));
      return void post('/slack/close', { user: user(), viewId: v?.dataset.view });
    }
    if (t.matches('button[data-kind=button]')) {
      const source = sourceOf(t);
      if (source) void post('/slack/action', { user: user(), source, actionId: t.dataset.action });
    }
  });
  // Escape cancels an open modal, as in Slack.
  root.addEventListener('keydown', (e) => {
    const form = /** @type {HTMLElement} */ (e.target).closest?.('form.modal');
    if (e.key === 'Escape' && form instanceof HTMLElement) form.querySelector('[data-close]')?.dispatchEvent(new MouseEvent('click', { bubbles: true }));
  });
  root.addEventListener('change', (e) => {
    const t = /** @type {HTMLElement} */ (e.target);
    if (t.matches('[data-who]')) {
      ui[pane].user = /** @type {HTMLSelectElement} */ (t).value;
      return renderStaffPane(pane);
    }
    // Elements outside input blocks act at once (selects/pickers in messages and App Home).
    const el = t.closest('[data-action]');
    if (!(el instanceof HTMLElement) || el.closest('.input')) return;
    const value = inputValue(el);
    const source = sourceOf(el);
    el.blur(); // acted at once: let the pane redraw with the result
    if (source && value !== undefined) void post('/slack/action', { user: user(), source, actionId: el.dataset.action, value });
  });
  root.addEventListener('submit', async (e) => {
    e.preventDefault();
    const form = /** @type {HTMLFormElement} */ (e.target);
    if (form.matches('[data-command]')) {
      const input = /** @type {HTMLInputElement} */ (form.querySelector('input'));
      const text = input.value.trim();
      if (!text) return say('Type a command such as /case help, or a message.');
      const out = text.startsWith('/case')
        ? await post('/slack/command', { user: user(), text: text.replace(/^\/case\s*/, '') })
        : await post('/slack/dm', { user: user(), text });
      // Clear only what was sent, never a next command typed while this one was on its way.
      if (out.ok && input.value.trim() === text) input.value = '';
      input.blur();
      renderStaffPane(pane);
      return;
    }
    /** @type {HTMLElement|null} */ (document.activeElement)?.blur();
    const viewId = form.dataset.view ?? '';
    /** @type {Record<string, Record<string, unknown>>} */ const values = {};
    form.querySelectorAll('.input').forEach((box) => {
      const el = /** @type {HTMLElement} */ (box.querySelector('[data-action]'));
      const v = inputValue(el);
      if (v !== undefined && !(Array.isArray(v) && !v.length)) values[/** @type {HTMLElement} */ (box).dataset.block ?? ''] = { [el.dataset.action ?? '']: v };
    });
    const out = await post('/slack/submit', { user: user(), viewId, values });
    const r = out.result;
    viewErrors[viewId] = r && r.response_action === 'errors' ? r.errors : {};
    if (r && r.response_action === 'errors') {
      say('Please correct the fields marked in the form.');
      renderStaffPane(pane);
    }
  });
}

const events = new EventSource(`${api}/events`);
events.addEventListener('change', () => void refresh());
events.onerror = () => say('Lost the connection to the service; retrying…');
void refresh();

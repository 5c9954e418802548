import type { SlackViewAction } from '@slack/bolt';
import type { RegisterListener } from '../index.js';
import { saveResource } from '../../../referrals/resources.service.js';
import { REFUSE, staffFor } from '../../access.js';
import { esc } from '../../ui/blocks.js';
import { INPUT, RESOURCE_VIEW } from '../../ui/ids.js';
import { resourceMetaSchema } from '../../referrals.screen.js';
import { fieldError, fieldsOf } from '../../slack.kit.js';

/** The resource modal submitted (admins): validated with zod, each problem shown under its field; saved and audited. */
export const registerResourceView: RegisterListener = (app, deps) => {
  app.view<SlackViewAction>(RESOURCE_VIEW, async ({ ack, body, view, client }) => {
    const me = await staffFor(deps.db, body.user.id).catch(() => undefined);
    if (!me) return void (await ack(fieldError(undefined, REFUSE.notStaff, 'name')));
    let meta: ReturnType<typeof resourceMetaSchema.parse>;
    try {
      meta = resourceMetaSchema.parse(JSON.parse(view.private_metadata));
    } catch {
      return void (await ack(fieldError(undefined, 'This form is out of date. Close it and run the command again.', 'name')));
    }
    const f = fieldsOf(view.state.values);
    const picked =
      (view.state.values as Record<string, Record<string, { selected_options?: Array<{ value: string }> }>>).categories?.[INPUT]?.selected_options ?? [];
    const raw = {
      name: f.text('name'),
      categories: picked.map((o) => o.value),
      languages: f.text('languages'),
      phone: f.text('phone'),
      email: f.text('email'),
      website: f.text('website'),
      address: f.text('address'),
      description: f.text('description'),
    };
    try {
      const r = await saveResource(deps, me, raw, meta.editId);
      if (!r.ok)
        return void (await ack({ response_action: 'errors', errors: Object.fromEntries(Object.entries(r.errors).map(([k, v]) => [k, v.slice(0, 300)])) }));
      await ack();
      await client.chat
        .postMessage({ channel: me.slackUserId, text: `📇 ${meta.editId ? 'Updated' : 'Added'} “${esc(r.resource.name)}” in the resource directory.` })
        .catch(() => {});
    } catch (err) {
      deps.logger.error({ where: `view:${RESOURCE_VIEW}`, err: (err as Error)?.message }, 'slack handler failed');
      await ack(fieldError(undefined, 'Sorry, this could not be saved because of a problem on our side. Please try again.', 'name'));
    }
  });
};

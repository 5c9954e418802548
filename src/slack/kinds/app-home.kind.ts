import { and, eq, gt, or, sql } from 'drizzle-orm';
import { deliveries } from '../../db/schema.js';
import { deliveryKind } from '../../delivery/kinds/kind.js';
import { loadStaff, staffUnreachable } from '../../delivery/recipients.js';
import { APP_HOME_KIND, homeRecipientStaff } from '../../cases/case-card-refresh.js';
import { homeViewBlocks } from '../screens.js';

/**
 * Someone's App Home republished (views.publish) after a change to a case it
 * shows, so the tab is current without being reopened. Built at send time;
 * when a later republish for the same person is already planned this one is
 * skipped ('superseded'): one publish shows every change.
 */
export const appHomeKind = deliveryKind({
  kind: APP_HOME_KIND,
  async render(deps, row) {
    const [later] = await deps.db
      .select({ id: deliveries.id })
      .from(deliveries)
      .where(
        and(
          eq(deliveries.kind, APP_HOME_KIND),
          eq(deliveries.recipient, row.recipient),
          eq(deliveries.status, 'pending'),
          or(gt(deliveries.dueAt, row.dueAt), and(eq(deliveries.dueAt, row.dueAt), sql`${deliveries.id} > ${row.id}`)),
        ),
      )
      .limit(1);
    if (later) return { skip: 'superseded' };
    const id = homeRecipientStaff(row.recipient);
    const person = id ? await loadStaff(deps.db, id) : undefined;
    const why = staffUnreachable(person);
    if (why) return { skip: why };
    return { channel: 'slack', to: person!.slackUserId, home: true, text: 'App Home', blocks: await homeViewBlocks(deps, person!.slackUserId) };
  },
});

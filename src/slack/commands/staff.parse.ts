import { STAFF_ROLES } from '../../db/schema.js';
import type { StaffRole } from '../../staff/staff.repo.js';
import { userOf } from './mention.js';

/**
 * Parse `/case staff …` (pure). Slack escapes mentions in command text as
 * `<@U123|name>` (the manifest sets should_escape); a bare user id is accepted too.
 */
export type StaffCommand =
  | { op: 'list' }
  | { op: 'add'; userId: string; role: StaffRole; supervisorUserId: string | null }
  | { op: 'remove'; userId: string }
  | { op: 'invalid'; message: string };

export const STAFF_USAGE = 'Usage: `/case staff add @user worker|supervisor|admin [supervisor:@someone]`, `/case staff list`, `/case staff remove @user`';

export function parseStaffCommand(args: string[]): StaffCommand {
  const [op, ...rest] = args;
  switch ((op ?? '').toLowerCase()) {
    case 'list':
    case '':
      return { op: 'list' };
    case 'add': {
      const userId = userOf(rest[0]);
      if (!userId) return { op: 'invalid', message: `Mention the person to add, like \`@name\`. ${STAFF_USAGE}` };
      const role = (rest[1] ?? '').toLowerCase();
      if (!(STAFF_ROLES as readonly string[]).includes(role)) return { op: 'invalid', message: `The role must be worker, supervisor or admin. ${STAFF_USAGE}` };
      let supervisorUserId: string | null = null;
      for (const extra of rest.slice(2)) {
        const m = /^supervisor:(.+)$/i.exec(extra);
        if (!m) return { op: 'invalid', message: `I did not understand \`${extra.slice(0, 40)}\`. ${STAFF_USAGE}` };
        supervisorUserId = userOf(m[1]);
        if (!supervisorUserId) return { op: 'invalid', message: `Write the supervisor as \`supervisor:@name\`. ${STAFF_USAGE}` };
      }
      if (supervisorUserId === userId) return { op: 'invalid', message: 'Someone cannot be their own supervisor.' };
      return { op: 'add', userId, role: role as StaffRole, supervisorUserId };
    }
    case 'remove': {
      const userId = userOf(rest[0]);
      if (!userId) return { op: 'invalid', message: `Mention the person to remove, like \`@name\`. ${STAFF_USAGE}` };
      return { op: 'remove', userId };
    }
    default:
      return { op: 'invalid', message: STAFF_USAGE };
  }
}

import type { RegisterListener } from '../index.js';
import { ACTIONS } from '../../ui/ids.js';
import { MODALS, registerCaseModalButton } from '../../case-modals.flow.js';

/** [Schedule appointment]: opens its modal after the server-side access check. */
export const registerCaseSchedule: RegisterListener = (app, deps) =>
  registerCaseModalButton(app, deps, ACTIONS.schedule, MODALS.schedule!.build, { byAppointment: !!MODALS.schedule!.byAppointment });

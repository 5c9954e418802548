import type { RegisterListener } from '../index.js';
import { ACTIONS } from '../../ui/ids.js';
import { MODALS, registerCaseModalButton } from '../../case-modals.flow.js';

/** [Reschedule appointment (from the case card)]: opens its modal after the server-side access check. */
export const registerApptReschedule: RegisterListener = (app, deps) =>
  registerCaseModalButton(app, deps, ACTIONS.reschedule, MODALS.reschedule!.build, { byAppointment: !!MODALS.reschedule!.byAppointment });

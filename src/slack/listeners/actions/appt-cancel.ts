import type { RegisterListener } from '../index.js';
import { ACTIONS } from '../../ui/ids.js';
import { MODALS, registerCaseModalButton } from '../../case-modals.flow.js';

/** [Cancel appointment (from the case card)]: opens its modal after the server-side access check. */
export const registerApptCancel: RegisterListener = (app, deps) =>
  registerCaseModalButton(app, deps, ACTIONS.cancel, MODALS.cancel!.build, { byAppointment: !!MODALS.cancel!.byAppointment });

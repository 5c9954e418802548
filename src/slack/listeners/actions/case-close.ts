import type { RegisterListener } from '../index.js';
import { ACTIONS } from '../../ui/ids.js';
import { MODALS, registerCaseModalButton } from '../../case-modals.flow.js';

/** [Close case]: opens its modal after the server-side access check. */
export const registerCaseClose: RegisterListener = (app, deps) =>
  registerCaseModalButton(app, deps, ACTIONS.close, MODALS.close!.build, { byAppointment: !!MODALS.close!.byAppointment });

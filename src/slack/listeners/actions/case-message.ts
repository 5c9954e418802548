import type { RegisterListener } from '../index.js';
import { ACTIONS } from '../../ui/ids.js';
import { MODALS, registerCaseModalButton } from '../../case-modals.flow.js';

/** [Message client]: opens its modal after the server-side access check. */
export const registerCaseMessage: RegisterListener = (app, deps) =>
  registerCaseModalButton(app, deps, ACTIONS.message, MODALS.message!.build, { byAppointment: !!MODALS.message!.byAppointment });

import type { RegisterListener } from '../index.js';
import { ACTIONS } from '../../ui/ids.js';
import { MODALS, registerCaseModalButton } from '../../case-modals.flow.js';

/** [Log note (also the reminder/nudge [Log note] buttons)]: opens its modal after the server-side access check. */
export const registerCaseLogNote: RegisterListener = (app, deps) =>
  registerCaseModalButton(app, deps, ACTIONS.logNote, MODALS.note!.build, { byAppointment: !!MODALS.note!.byAppointment });

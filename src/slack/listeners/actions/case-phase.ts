import type { RegisterListener } from '../index.js';
import { ACTIONS } from '../../ui/ids.js';
import { MODALS, registerCaseModalButton } from '../../case-modals.flow.js';

/** [Move phase]: opens its modal after the server-side access check. */
export const registerCasePhase: RegisterListener = (app, deps) =>
  registerCaseModalButton(app, deps, ACTIONS.phase, MODALS.phase!.build, { byAppointment: !!MODALS.phase!.byAppointment });

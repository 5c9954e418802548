import type { RegisterListener } from '../index.js';
import { ACTIONS } from '../../ui/ids.js';
import { MODALS, registerCaseModalButton } from '../../case-modals.flow.js';

/** [Goals & plan]: opens its modal after the server-side access check. */
export const registerCaseGoals: RegisterListener = (app, deps) =>
  registerCaseModalButton(app, deps, ACTIONS.goals, MODALS.goals!.build, { byAppointment: !!MODALS.goals!.byAppointment });

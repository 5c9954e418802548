import type { RegisterListener } from '../index.js';
import { registerOutcomeButton } from '../../outcome-buttons.flow.js';

/** [No-show] on the outcome question: follow-up next working day; two in a row inform the supervisor. */
export const registerApptOutcomeNoShow: RegisterListener = (app, deps) => registerOutcomeButton(app, deps, 'no_show');

import type { RegisterListener } from '../index.js';
import { registerOutcomeButton } from '../../outcome-buttons.flow.js';

/** [Attended] on the outcome question. */
export const registerApptOutcomeAttended: RegisterListener = (app, deps) => registerOutcomeButton(app, deps, 'attended');

import type { RegisterListener } from '../index.js';
import { ERASURE_ACTIONS } from '../../ui/ids.js';
import { registerHoldButton } from '../../erasure-buttons.flow.js';

/** [Hold — reason required] on an erasure request: opens the reason modal. */
export const registerErasureHold: RegisterListener = (app, deps) => registerHoldButton(app, deps, ERASURE_ACTIONS.hold);

import type { RegisterListener } from '../index.js';
import { registerHoldView } from '../../erasure-buttons.flow.js';

/** The hold modal submitted: reason required (answered on the field), then the request waits for its review date. */
export const registerErasureHoldView: RegisterListener = (app, deps) => registerHoldView(app, deps);

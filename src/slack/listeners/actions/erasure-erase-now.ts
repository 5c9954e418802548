import type { RegisterListener } from '../index.js';
import { ERASURE_ACTIONS } from '../../ui/ids.js';
import { registerEraseNow } from '../../erasure-buttons.flow.js';

/** [Erase now] on an erasure request: the case's supervisor (or an admin) approves; the erasure job runs. */
export const registerErasureEraseNow: RegisterListener = (app, deps) => registerEraseNow(app, deps, ERASURE_ACTIONS.eraseNow);

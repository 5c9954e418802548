import type { RegisterListener } from '../index.js';
import { VIEWS } from '../../ui/ids.js';
import { PHASE_LABELS } from '../../../cases/case.domain.js';
import { movePhase } from '../../../cases/case-plan.service.js';
import { registerCaseView } from '../../view-submit.flow.js';

/** Move phase: forward freely, back only with a reason (kept, encrypted, on the record). */
export const registerPhaseView: RegisterListener = (app, deps) =>
  registerCaseView(app, deps, VIEWS.phase, {
    fallbackField: 'phase',
    async handle({ me, meta, f }) {
      if (!meta.caseId) return { ok: false, message: 'This form is out of date. Close it and open it again from the case card.' };
      return movePhase(deps, me, { caseId: meta.caseId, target: f.select('phase'), reason: f.text('reason'), dedupeKey: `view:${meta.nonce}` });
    },
    confirm: ({ value, reference }) => `➡️ ${reference} moved from ${PHASE_LABELS[value.from]} to ${PHASE_LABELS[value.to]}.`,
  });

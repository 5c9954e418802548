import type { RegisterListener } from '../index.js';
import { VIEWS } from '../../ui/ids.js';
import { closeCase } from '../../../cases/case-plan.service.js';
import { registerCaseView } from '../../view-submit.flow.js';

/** Close case: an outcome per goal, the evaluation summary (refused on its field when missing) and a reason. */
export const registerCloseView: RegisterListener = (app, deps) =>
  registerCaseView(app, deps, VIEWS.close, {
    fallbackField: 'evaluation',
    async handle({ me, meta, f }) {
      if (!meta.caseId) return { ok: false, message: 'This form is out of date. Close it and open it again from the case card.' };
      const outcomes = (meta.goalIds ?? []).filter((id): id is string => !!id).map((goalId, i) => ({ goalId, outcome: f.select(`outcome_${i}`) }));
      return closeCase(deps, me, {
        caseId: meta.caseId,
        outcomes,
        evaluation: f.text('evaluation'),
        reason: f.select('reason'),
        reasonDetail: f.text('reason_detail'),
        dedupeKey: `view:${meta.nonce}`,
      });
    },
    confirm: ({ reference, value: { cancelledAppointments: n } }) =>
      `✅ ${reference} is closed. Thank you for the evaluation.${n ? ` ${n === 1 ? 'Its upcoming appointment was' : `Its ${n} upcoming appointments were`} cancelled and the client told.` : ''}`,
  });

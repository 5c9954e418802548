import type { RegisterListener } from '../index.js';
import { VIEWS } from '../../ui/ids.js';
import { MAX_GOALS } from '../../../cases/case.domain.js';
import { saveGoalsPlan } from '../../../cases/case-plan.service.js';
import { registerCaseView } from '../../view-submit.flow.js';

/** Goals & plan submitted: up to three goals (clearing one drops it), the plan, the self-help focus, the case type. */
export const registerGoalsView: RegisterListener = (app, deps) =>
  registerCaseView(app, deps, VIEWS.goals, {
    fallbackField: 'plan',
    async handle({ me, meta, f }) {
      if (!meta.caseId) return { ok: false, message: 'This form is out of date. Close it and open it again from the case card.' };
      const goals = Array.from({ length: MAX_GOALS }, (_, i) => ({
        goalId: meta.goalIds?.[i] ?? null,
        description: f.text(`goal_${i}`),
        assessment: f.text(`assess_${i}`),
        targetDate: f.date(`target_${i}`),
      })).filter((g) => g.goalId || g.description.trim() || g.assessment.trim() || g.targetDate);
      return saveGoalsPlan(deps, me, {
        caseId: meta.caseId,
        goals,
        plan: f.text('plan'),
        selfHelpFocus: f.text('self_help'),
        caseType: f.select('case_type') || null,
        dedupeKey: `view:${meta.nonce}`,
      });
    },
    confirm: ({ value, reference }) => `🎯 Goals & plan saved on ${reference} (${value.goals} goal${value.goals === 1 ? '' : 's'}).`,
  });

/**
 * The services name the field a problem is about in their own terms (the input's
 * property: 'nextFollowUpAt', 'goals[1].targetDate'); a modal shows the error
 * under one of its blocks. This maps the first to the second for the modals in
 * src/slack/blocks/modals.blocks.ts. A name that is already a block id (or the
 * same in both: 'text', 'date', 'reason', ...) passes through unchanged.
 */
const SAME_INDEX: ReadonlyArray<[RegExp, (i: string) => string]> = [
  [/^goals\[(\d+)\]\.description$/, (i) => `goal_${i}`],
  [/^goals\[(\d+)\]\.assessment$/, (i) => `assess_${i}`],
  [/^goals\[(\d+)\]\.targetDate$/, (i) => `target_${i}`],
  [/^outcomes\[(\d+)\]$/, (i) => `outcome_${i}`],
];

const BLOCK_OF: Readonly<Record<string, string>> = {
  goals: 'goal_0',
  selfHelpFocus: 'self_help',
  caseType: 'case_type',
  reasonDetail: 'reason_detail',
  contactAt: 'contact_date',
  nextFollowUpAt: 'follow_up',
  resourceId: 'resource',
};

export function blockIdFor(field: string): string;
export function blockIdFor(field: string | undefined): string | undefined;
export function blockIdFor(field: string | undefined): string | undefined {
  if (field === undefined) return undefined;
  const named = BLOCK_OF[field];
  if (named) return named;
  for (const [pattern, block] of SAME_INDEX) {
    const m = pattern.exec(field);
    if (m) return block(m[1]!);
  }
  return field;
}

import { FIELDS } from './ids.js';

/**
 * The services name the field a problem is about in their own terms (the input's
 * property: 'nextFollowUpAt', 'goals[1].targetDate'); a modal shows the error
 * under one of its blocks. This maps the first to the second for the case
 * modals (src/slack/ui/modals.blocks.ts). A name that is already a block id (or
 * the same in both: 'text', 'date', 'reason', ...) passes through unchanged.
 */
const SAME_INDEX: ReadonlyArray<[RegExp, (i: number) => string]> = [
  [/^goals\[(\d+)\]\.description$/, FIELDS.goal],
  [/^goals\[(\d+)\]\.assessment$/, FIELDS.assess],
  [/^goals\[(\d+)\]\.targetDate$/, FIELDS.target],
  [/^outcomes\[(\d+)\]$/, FIELDS.outcome],
];

const BLOCK_OF: Readonly<Record<string, string>> = {
  goals: FIELDS.goal(0),
  selfHelpFocus: FIELDS.selfHelp,
  caseType: FIELDS.caseType,
  reasonDetail: FIELDS.reasonDetail,
  contactAt: FIELDS.contactDate,
  nextFollowUpAt: FIELDS.followUp,
  resourceId: FIELDS.resource,
};

export function blockIdFor(field: string | undefined): string | undefined {
  if (field === undefined) return undefined;
  const named = BLOCK_OF[field];
  if (named) return named;
  for (const [pattern, block] of SAME_INDEX) {
    const m = pattern.exec(field);
    if (m) return block(Number(m[1]));
  }
  return field;
}

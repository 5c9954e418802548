/**
 * What a client's request is about: the one list (the intake asks it, cases and
 * resources store it, reports count by it). Adding one also needs its labels
 * (src/i18n, the Slack labels) and a migration for the database check.
 */
export const CATEGORIES = ['family', 'emotions', 'elderly', 'disability', 'children', 'housing', 'work_money', 'health', 'legal', 'other'] as const;
export type Category = (typeof CATEGORIES)[number];

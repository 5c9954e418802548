/** Pure Block Kit builders of the Slack app (split by screen under blocks/). */
export * from './blocks/common.js';
export * from './blocks/case-card.blocks.js';
export * from './blocks/intake-card.blocks.js';
export * from './blocks/modals.blocks.js';
export * from './blocks/lists.blocks.js';

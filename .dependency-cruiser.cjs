/** Dependency rules (issue 16). `npm run check` runs them; docs/architecture.md states them. */
const FEATURES =
  '^src/(appointments|audit|cases|clients|db|delivery|escalations|handover|i18n|intake|jobs|keys|lib|referrals|reports|retention|staff)/';
module.exports = {
  forbidden: [
    {
      name: 'feature-imports-platform',
      comment: 'Domain and feature folders own rules and data; Slack, Telegram and the sandbox own words, ids and transport.',
      severity: 'error',
      from: { path: FEATURES },
      to: { path: '^src/(slack|telegram|sandbox)/' },
    },
    {
      name: 'lib-imports-feature',
      comment: 'src/lib is generic: it imports no feature, platform or composition root.',
      severity: 'error',
      from: { path: '^src/lib/' },
      to: { path: '^src/(?!lib/)' },
    },
    {
      name: 'no-circular',
      comment: 'No import cycles, type-only imports included.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'src-imports-tests',
      severity: 'error',
      from: { path: '^(src|workers)/' },
      to: { path: '^(test|bench)/' },
    },
    {
      name: 'not-to-unresolvable',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default', 'types'], extensions: ['.ts', '.js', '.mjs', '.cjs', '.json'] },
    exclude: { path: '(^|/)(node_modules|dist)/' },
  },
};

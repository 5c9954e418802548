import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

/**
 * ops/alerts.yml is valid Prometheus rules (promtool, from Debian's prometheus package, which
 * .ci/run installs), and the Grafana dashboard is valid JSON whose every query names a metric the
 * service exports (the names are kept in step with /metrics by test/integration/http.test.ts).
 */
const hasPromtool = spawnSync('promtool', ['--version']).status === 0;
if (!hasPromtool)
  console.warn('ops-alerts.test: promtool is not installed (apt-get install prometheus), so the rules syntax check is skipped; .ci/run installs it');

describe('operations files', () => {
  it.skipIf(!hasPromtool)('alerts.yml passes promtool check rules', () => {
    const out = execFileSync('promtool', ['check', 'rules', 'ops/alerts.yml'], { encoding: 'utf8' });
    expect(out).toMatch(/SUCCESS: \d+ rules found/);
  });

  it('the dashboard is valid JSON and queries only casework metrics or up', () => {
    const dash = JSON.parse(readFileSync('ops/grafana-dashboard.json', 'utf8')) as { panels: Array<{ title: string; targets: Array<{ expr: string }> }> };
    expect(dash.panels.length).toBeGreaterThan(5);
    for (const p of dash.panels) for (const t of p.targets) expect(t.expr, p.title).toMatch(/casework_[a-z_]+|up\{/);
  });
});

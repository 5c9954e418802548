// `npm run build`: production JavaScript in dist/, run with plain `node` (no tsx
// in between, so the service itself receives SIGTERM/SIGINT; see README "Running in production").
// Each file is transpiled on its own (no bundling): the layout under dist/ mirrors the
// sources, so paths resolved from import.meta.url (migrations, the sandbox console) still work.
import { build } from 'esbuild';
import { cpSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const out = join(root, 'dist');

function tsFiles(dir) {
  return readdirSync(join(root, dir)).flatMap((name) => {
    const rel = join(dir, name);
    if (statSync(join(root, rel)).isDirectory()) return tsFiles(rel);
    return name.endsWith('.ts') && !name.endsWith('.d.ts') ? [rel] : [];
  });
}

rmSync(out, { recursive: true, force: true });
const entryPoints = [...tsFiles('src'), ...tsFiles('workers')];
await build({
  entryPoints: entryPoints.map((f) => join(root, f)),
  outdir: out,
  outbase: root,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  sourcemap: true,
  logLevel: 'warning',
});
// Files the code reads at run time next to its own module.
for (const dir of ['src/db/migrations', 'src/sandbox/console']) cpSync(join(root, dir), join(out, dir), { recursive: true });
console.log(`built ${entryPoints.length} files into dist/ (start with: node dist/src/main.js --with-workers)`);

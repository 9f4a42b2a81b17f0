// The workspace's part of the Maven build (generate-resources): `npm ci` when package-lock.json
// changed since the last install, then `npm run build` when any source is newer than the bundle.
// An unchanged workspace costs a node start, so every `mvn test` can run it.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const here = import.meta.dirname;
const bundle = join(here, '../target/classes/web/index.html');
const sources = ['src', 'public', 'index.html', 'package.json', 'package-lock.json', 'vite.config.ts', 'tsconfig.json'];

function newest(path) {
  const s = statSync(path);
  if (!s.isDirectory()) return s.mtimeMs;
  return Math.max(s.mtimeMs, ...readdirSync(path).map((f) => newest(join(path, f))));
}

function npm(...args) {
  console.log(`web: npm ${args.join(' ')}`);
  execFileSync('npm', args, { cwd: here, stdio: 'inherit' });
}

const installed = join(here, 'node_modules/.package-lock.json');
if (!existsSync(installed) || statSync(installed).mtimeMs < statSync(join(here, 'package-lock.json')).mtimeMs) {
  npm('ci', '--no-audit', '--no-fund');
}
const built = existsSync(bundle) ? statSync(bundle).mtimeMs : 0;
if (Math.max(...sources.filter((s) => existsSync(join(here, s))).map((s) => newest(join(here, s)))) > built) {
  npm('run', 'build');
}

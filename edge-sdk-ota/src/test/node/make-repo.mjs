// Writes a TUF repository made by @tufjs/repo-mock (ECDSA P-256 keys, signed with node's crypto)
// as static files under OUTDIR: metadata/{1.root.json,timestamp.json,snapshot.json,targets.json}
// and targets/NAME. Usage: node make-repo.mjs OUTDIR NAME=CONTENT...
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { initializeTUFRepo, tufHandlers } from '@tufjs/repo-mock';

const [outDir, ...specs] = process.argv.slice(2);
const targets = specs.map((s) => {
  const i = s.indexOf('=');
  return { name: s.slice(0, i), content: s.slice(i + 1) };
});
const repo = initializeTUFRepo(targets);
const written = [];
for (const handler of tufHandlers(repo, {})) {
  const { statusCode, response } = handler.fn();
  if (statusCode !== 200) continue;
  const file = join(outDir, handler.path);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, response);
  written.push(handler.path);
}
console.log(JSON.stringify({ written }));

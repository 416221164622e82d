// Runs the tuf-js client against a repository served over HTTP.
// Usage: node client.mjs BASE_URL TRUSTED_ROOT CACHE_DIR TARGET OUT_FILE
// Prints one JSON line: {"ok": true, "target": ..., "length": ..., "file": ...} or
// {"ok": false, "error": "<ErrorName>: <message>"} (exit 1).
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Updater } from 'tuf-js';

const [baseUrl, trustedRoot, cacheDir, target, outFile] = process.argv.slice(2);
try {
  mkdirSync(cacheDir, { recursive: true });
  copyFileSync(trustedRoot, join(cacheDir, 'root.json'));
  const updater = new Updater({
    metadataBaseUrl: new URL('metadata', baseUrl).toString(),
    targetBaseUrl: new URL('targets', baseUrl).toString(),
    metadataDir: cacheDir,
    targetDir: cacheDir,
    config: { fetchTimeout: 10000, fetchRetries: 0 },
  });
  await updater.refresh();
  const info = await updater.getTargetInfo(target);
  if (!info) {
    console.log(JSON.stringify({ ok: false, error: `NotFound: no target ${target}` }));
    process.exit(1);
  }
  const file = await updater.downloadTarget(info, outFile);
  console.log(JSON.stringify({ ok: true, target: info.path, length: info.length, custom: info.custom, file }));
} catch (e) {
  console.log(JSON.stringify({ ok: false, error: `${e.name}: ${e.message}` }));
  process.exit(1);
}

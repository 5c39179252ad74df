import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ROOT } from './ferretdb';

function hashTree(hash: ReturnType<typeof createHash>, p: string): void {
  if (!existsSync(p)) return;
  if (statSync(p).isDirectory()) {
    for (const name of readdirSync(p).sort()) hashTree(hash, path.join(p, name));
  } else {
    hash.update(path.relative(ROOT, p)).update(readFileSync(p));
  }
}

/** What a build reads: files and folders (relative to the repository) and environment variables. */
export type BuildInputs = { name: string; files: readonly string[]; env: readonly string[] };

/** A fingerprint of everything a build reads, so an unchanged tree is not built again. */
export function fingerprintOf(inputs: BuildInputs): string {
  const hash = createHash('sha256').update(inputs.name);
  for (const input of inputs.files) hashTree(hash, path.join(ROOT, input));
  for (const name of inputs.env) hash.update(`${name}=${process.env[name] ?? ''}`);
  return hash.digest('hex');
}

const LOCK_STALE_MS = 10 * 60 * 1000;

/** One build of an output at a time across processes (jest workers, npm start): mkdir is atomic. */
async function withLock<T>(lock: string, work: () => Promise<T>): Promise<T> {
  mkdirSync(path.dirname(lock), { recursive: true });
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      if (existsSync(lock) && Date.now() - statSync(lock).mtimeMs > LOCK_STALE_MS) rmSync(lock, { recursive: true, force: true });
      await new Promise((r) => setTimeout(r, 500));
    }
  }
  try {
    return await work();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

/** Runs `build` into `outDir` unless the last build there came from the same inputs; returns `outDir`. */
export async function ensureBuilt(outDir: string, inputs: BuildInputs, build: () => Promise<void>, log?: (line: string) => void, note = ''): Promise<string> {
  const stamp = path.join(outDir, '.source-fingerprint');
  const fingerprint = fingerprintOf(inputs);
  const upToDate = () => existsSync(stamp) && readFileSync(stamp, 'utf8') === fingerprint;
  if (upToDate()) return outDir;
  return withLock(path.join(path.dirname(outDir), `.${path.basename(outDir)}.lock`), async () => {
    if (upToDate()) return outDir; // another process built it while we waited
    log?.(`Building ${inputs.name}${note}...`);
    await build();
    writeFileSync(stamp, fingerprint);
    return outDir;
  });
}

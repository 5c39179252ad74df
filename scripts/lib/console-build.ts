import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { ensureBuilt } from './cached-build';
import { ROOT } from './ferretdb';

export const CONSOLE_DIST = path.join(ROOT, 'console/dist');
const INPUTS = ['console/src', 'console/index.html', 'console/vite.config.ts', 'shared', 'package-lock.json'];

type Manifest = Record<string, { file: string; isEntry?: boolean; imports?: string[] }>;

/**
 * The JS a browser fetches before the console can draw its first page: the entry and every
 * chunk it imports statically (the sections are lazy chunks, fetched when opened), gzipped.
 */
export function firstLoadBytes(dist = CONSOLE_DIST): { files: string[]; gzipBytes: number } {
  const manifest = JSON.parse(readFileSync(path.join(dist, 'manifest.json'), 'utf8')) as Manifest;
  const seen = new Set<string>();
  const visit = (key: string) => {
    if (seen.has(key)) return;
    seen.add(key);
    for (const dep of manifest[key].imports ?? []) visit(dep);
  };
  for (const [key, chunk] of Object.entries(manifest)) if (chunk.isEntry) visit(key);
  const files = [...seen].map((k) => manifest[k].file).filter((f) => f.endsWith('.js'));
  return { files, gzipBytes: files.reduce((sum, f) => sum + gzipSync(readFileSync(path.join(dist, f)), { level: 9 }).length, 0) };
}

/** Vite in its own process, as the mini-program's build runs: jest's module loader cannot host it. */
function vite(): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(ROOT, 'node_modules/vite/bin/vite.js'), 'build', '--config', path.join(ROOT, 'console/vite.config.ts')], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const output: string[] = [];
    child.stdout.on('data', (d: Buffer) => output.push(d.toString()));
    child.stderr.on('data', (d: Buffer) => output.push(d.toString()));
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`vite build failed with code ${code}\n${output.join('').slice(-4000)}`))));
  });
}

async function buildConsole(): Promise<void> {
  await vite();
  const size = firstLoadBytes();
  writeFileSync(path.join(CONSOLE_DIST, 'first-load.json'), JSON.stringify(size, null, 2));
}

/** Builds the admin console unless the last build came from the same sources; returns its folder. */
export function ensureConsoleBuilt(options: { log?: (line: string) => void } = {}): Promise<string> {
  return ensureBuilt(CONSOLE_DIST, { name: 'the admin console', files: INPUTS, env: [] }, buildConsole, options.log, ' (about 20 seconds)');
}

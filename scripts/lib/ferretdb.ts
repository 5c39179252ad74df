import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import path from 'node:path';
import { lastLines } from './output-tail';

export const ROOT = path.resolve(__dirname, '../..');
const SOURCE_DIR = path.join(ROOT, 'tools/ferretdb');
const BIN_DIR = path.join(ROOT, '.cache/bin');
export const FERRETDB_BIN = path.join(BIN_DIR, 'ferretdb');

export class MissingGoError extends Error {
  constructor() {
    super(
      'Go 1.24+ is needed to build the embedded FerretDB database: install Go (https://go.dev/dl/, or `apt-get install golang`) ' +
        'or set MONGODB_URI to a MongoDB you run yourself.',
    );
  }
}

function sourceHash(goVersion: string): string {
  const h = createHash('sha256').update(goVersion);
  for (const f of ['go.mod', 'go.sum', 'main.go']) h.update(readFileSync(path.join(SOURCE_DIR, f)));
  return h.digest('hex');
}

/** Builds FerretDB 1.24.2 once into a git-ignored folder; rebuilds only when its source or Go changes. */
export function ensureFerretdb(log: (line: string) => void = () => undefined): string {
  const go = spawnSync('go', ['version'], { encoding: 'utf8' });
  if (go.error || go.status !== 0) {
    if (existsSync(FERRETDB_BIN)) return FERRETDB_BIN;
    throw new MissingGoError();
  }
  const hash = sourceHash(go.stdout.trim());
  const stamp = `${FERRETDB_BIN}.sha256`;
  if (existsSync(FERRETDB_BIN) && existsSync(stamp) && readFileSync(stamp, 'utf8') === hash) return FERRETDB_BIN;
  log('Building FerretDB 1.24.2 from the Go module proxy (first run only, about 1-2 minutes)...');
  mkdirSync(BIN_DIR, { recursive: true });
  const build = spawnSync('go', ['build', '-o', FERRETDB_BIN, '.'], {
    cwd: SOURCE_DIR,
    stdio: ['ignore', 'inherit', 'inherit'],
    env: { ...process.env, GOTOOLCHAIN: 'local', GOFLAGS: '-mod=mod', CGO_ENABLED: '0' },
  });
  if (build.status !== 0) throw new Error('Building FerretDB failed (see the Go output above).');
  writeFileSync(stamp, hash);
  return FERRETDB_BIN;
}

/** Resolves once something accepts connections on the port. The ceiling is for a start that hangs: a loaded machine can take many seconds. */
export function waitForPort(port: number, host = '127.0.0.1', timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  return new Promise((resolve, reject) => {
    const attempt = () => {
      const socket = connect(port, host);
      socket.once('connect', () => {
        socket.destroy();
        resolve();
      });
      socket.once('error', () => {
        socket.destroy();
        if (Date.now() > deadline) reject(new Error(`nothing listens on ${host}:${port} after ${timeoutMs} ms`));
        else setTimeout(attempt, 100);
      });
    };
    attempt();
  });
}

export type RunningFerretdb = { uri: string; process: ChildProcess; stop(): Promise<void> };

/**
 * Starts FerretDB on loopback with SQLite files in `dataDir`. (Its in-memory mode was seen
 * to hang after concurrent inserts, so even tests use files, in a throwaway folder.)
 */
export async function startFerretdb(options: { port: number; dataDir: string; logFile?: string }): Promise<RunningFerretdb> {
  mkdirSync(options.dataDir, { recursive: true });
  const child = spawn(FERRETDB_BIN, ['-listen', `127.0.0.1:${options.port}`, '-dir', options.dataDir], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const stderr: string[] = [];
  child.stderr?.on('data', (d: Buffer) => {
    if (stderr.length < 200) stderr.push(d.toString());
  });
  // 'close' comes after the last output, so the error names everything FerretDB said.
  const exited = new Promise<never>((_, reject) =>
    child.once('close', (code) => reject(new Error(`FerretDB exited with code ${code}; its last stderr lines:\n${lastLines(stderr)}`))),
  );
  const listening = waitForPort(options.port).catch((err: Error) => {
    child.kill('SIGKILL');
    throw new Error(`FerretDB: ${err.message}; its last stderr lines:\n${lastLines(stderr)}`);
  });
  await Promise.race([listening, exited]);
  exited.catch(() => undefined);
  return {
    uri: `mongodb://127.0.0.1:${options.port}/`,
    process: child,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
        setTimeout(() => child.kill('SIGKILL'), 5000).unref();
      }),
  };
}

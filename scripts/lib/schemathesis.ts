import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '../..');
const VENV = path.join(ROOT, '.cache', 'schemathesis');
const REQUIREMENTS = path.join(ROOT, 'tools', 'schemathesis', 'requirements.txt');
const STAMP = path.join(VENV, 'installed-requirements.txt');

export const SCHEMATHESIS_BIN = path.join(VENV, 'bin', 'schemathesis');

/** Installed at the versions tools/schemathesis/requirements.txt pins. */
export function schemathesisInstalled(): boolean {
  return existsSync(SCHEMATHESIS_BIN) && existsSync(STAMP) && readFileSync(STAMP, 'utf8') === readFileSync(REQUIREMENTS, 'utf8');
}

/**
 * Schemathesis (from PyPI) in a virtualenv of the project's own, at the exact versions of
 * tools/schemathesis/requirements.txt; reinstalled when that file changes.
 */
export function ensureSchemathesis(log: (line: string) => void = console.log): void {
  if (schemathesisInstalled()) return;
  log('Installing Schemathesis (PyPI, pinned) into .cache/schemathesis');
  execFileSync('python3', ['-m', 'venv', '--clear', VENV], { stdio: 'inherit' });
  execFileSync(path.join(VENV, 'bin', 'pip'), ['install', '--quiet', '--disable-pip-version-check', '--no-deps', '-r', REQUIREMENTS], { stdio: 'inherit' });
  writeFileSync(STAMP, readFileSync(REQUIREMENTS, 'utf8'));
}

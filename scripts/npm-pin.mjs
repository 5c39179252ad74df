// The one npm this project installs with, everywhere (npm start, npm test's lockfile check, .ci/run).
// Exact, so a machine with another npm cached installs the same way as a fresh one. npm 11 rejects
// this lockfile's optional platform packages (npm/cli#9846); npm 10 installs it.
export const NPM = 'npm@10.9.9';

/** Arguments for `npx` that run the pinned npm's clean install from package-lock.json. */
export const npmCiArgs = (...extra) => ['-y', NPM, 'ci', '--ignore-scripts', '--no-audit', '--no-fund', ...extra];

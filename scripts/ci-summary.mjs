// Prints jest's outcome as the one line CI counts: "N passed, N failed, N skipped".
import { existsSync, readFileSync } from 'node:fs';

const file = process.argv[2] ?? 'reports/jest-results.json';
if (!existsSync(file)) {
  console.log('0 passed, 1 failed'); // the suite never ran: lint, types or a build failed first
} else {
  const r = JSON.parse(readFileSync(file, 'utf8'));
  // A test file that failed to load has no test results; count it as a failure too.
  const brokenFiles = r.testResults.filter((t) => t.status === 'failed' && t.assertionResults.length === 0).length;
  console.log(`${r.numPassedTests} passed, ${r.numFailedTests + brokenFiles} failed, ${r.numPendingTests + r.numTodoTests} skipped`);
}

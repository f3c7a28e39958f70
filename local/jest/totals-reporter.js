import { appendFileSync } from 'node:fs';

// Prints the run's totals as the single line `N passed, N failed` that CI reads. local/run-tests
// runs jest more than once and names a file in MSA_JEST_TOTALS_FILE: each run appends its totals
// there instead, and run-tests prints their sum as that one line.
export default class TotalsReporter {
  onRunComplete(_contexts, results) {
    const failed = results.numFailedTests + results.numRuntimeErrorTestSuites;
    const file = process.env.MSA_JEST_TOTALS_FILE;
    if (file) appendFileSync(file, `${results.numPassedTests} ${failed}\n`);
    else process.stdout.write(`\n${results.numPassedTests} passed, ${failed} failed\n`);
  }
}

/**
 * `npm run bench [-- options]`: runs the benchmark, prints progress on stderr and the table on
 * stdout, writes the JSON report, and exits 1 when a scenario lost deliveries or could not run
 * (2 on a bad option). See bench/README.md for the method.
 */
import { runBench } from './bench.js';
import { elapsed, now } from './clock.js';
import { HELP, parseOptions, type BenchOptions } from './options.js';
import { renderReport, writeReport } from './report.js';

let options: BenchOptions | null;
try {
  options = parseOptions(process.argv.slice(2));
} catch (error) {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n\n${HELP}`);
  process.exit(2);
}
if (options === null) {
  process.stdout.write(HELP);
  process.exit(0);
}

const start = now();
const quiet = options.quiet;
const progress = (line: string) => {
  if (!quiet) process.stderr.write(`[bench ${elapsed(start)}] ${line}\n`);
};

// Ctrl-C (relayed once by scripts/bootstrap.mjs): the first ends the run early, which still stops
// the system and writes a (FAILED, partial) report; a second one stops the system and exits now;
// a third exits at once. No Postgres or Temporal is orphaned either way.
const abort = new AbortController();
let stopStack: (() => Promise<void>) | undefined;
let signals = 0;
const onSignal = () => {
  signals += 1;
  if (signals === 1) {
    process.stderr.write('\n[bench] interrupted: cutting the run short and reporting (Ctrl-C again to stop now)\n');
    abort.abort();
  } else if (signals === 2) {
    process.stderr.write('\n[bench] stopping the system without a report (Ctrl-C again to force)\n');
    void (stopStack?.() ?? Promise.resolve()).finally(() => process.exit(130));
  } else {
    process.exit(130);
  }
};
process.on('SIGINT', onSignal);
process.on('SIGTERM', onSignal);

try {
  const report = await runBench(options, { progress, onStack: (stop) => (stopStack = stop), signal: abort.signal });
  writeReport(report);
  process.stdout.write(`\n${renderReport(report)}\n`);
  process.exit(abort.signal.aborted ? 130 : report.status === 'ok' ? 0 : 1);
} catch (error) {
  process.stderr.write(`[bench] failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
}

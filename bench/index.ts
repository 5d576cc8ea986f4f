// `npm run bench`: every benchmark in turn, each comparing side by side within one run, since this
// machine is shared and noisy. Ratios are the result; absolute numbers move with the load.
import { runEndpointBench } from './endpoint.js';
import { runMatrixBench } from './matrix.js';
import { runProxyBench } from './proxy.js';
import { runSmokeBench } from './smoke.js';
import { runSoakBench } from './soak.js';
import { runTerminalBench } from './terminal.js';

console.log(`wg-tui-e2e bench, ${new Date().toISOString()}, node ${process.version}`);
await runTerminalBench();
await runEndpointBench();
await runProxyBench();
await runSmokeBench();
await runSoakBench();
await runMatrixBench();

// `npm run bench:soak`: the soak alone (100 messages in one chat).
import { runSoakBench } from './soak.js';
await runSoakBench();

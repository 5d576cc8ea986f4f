// `npm run bench`: runs the benchmarks in turn. Minimal for now; add other areas' runners here.
import { runEndpointBench } from './endpoint.js';

await runEndpointBench();

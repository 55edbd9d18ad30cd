// Runs one gossip-timing scenario in a fresh process and prints its events/s and peak resident memory,
// so that the memory figure is this run's alone (not the benchmark process's other allocations).
// Arguments: workers (65536), simulated seconds (0.5), network model (alpha-beta | flow).
import { gossipEventsPerSecond } from "./gossip-timing.ts";

const workers = Number(process.argv[2] ?? 65536);
const seconds = Number(process.argv[3] ?? 0.5);
const model = process.argv[4] ?? "alpha-beta";
if (model !== "alpha-beta" && model !== "flow") throw new Error(`unknown network model ${model}`);
const result = gossipEventsPerSecond(workers, model, seconds, 1);
const maxRssBytes = process.resourceUsage().maxRSS * 1024;
process.stdout.write(`${JSON.stringify({ ...result, maxRssBytes })}\n`);

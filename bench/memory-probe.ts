// Runs one gossip-timing scenario in a fresh process and prints its events/s and peak resident memory,
// so that the memory figure is this run's alone (not the benchmark process's other allocations).
import { gossipEventsPerSecond } from "./gossip-timing.ts";

const workers = Number(process.argv[2] ?? 65536);
const seconds = Number(process.argv[3] ?? 0.5);
const result = gossipEventsPerSecond(workers, "alpha-beta", seconds, 1);
const maxRssBytes = process.resourceUsage().maxRSS * 1024;
process.stdout.write(`${JSON.stringify({ ...result, maxRssBytes })}\n`);

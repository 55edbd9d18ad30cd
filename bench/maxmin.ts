/**
 * One full max-min solve of F random flows, as the anchors measure SimGrid's lmm (issue #14):
 * L = F/2 links of capacity uniform in [1, 10), each flow crossing 3 distinct random links, no caps.
 * Best of a few solves on one prepared instance (the solver's buffers warm, as in a simulation).
 */
import { MaxMinSolver } from "../sim/cluster/network/maxmin.ts";
import { RandomStreams } from "../sim/engine/random.ts";

export function maxminFullSolveSeconds(flows: number, repeats: number): number {
  const links = Math.max(3, Math.floor(flows / 2));
  const random = new RandomStreams(14).stream("maxmin-bench");
  const capacity = Float64Array.from({ length: links }, () => 1 + 9 * random.uniform());
  const routeStart = new Int32Array(flows + 1);
  const routeLinks = new Int32Array(3 * flows);
  for (let f = 0; f < flows; f++) {
    routeStart[f + 1] = 3 * (f + 1);
    for (let k = 0; k < 3; k++) {
      let l: number;
      do l = random.int(links);
      while ((k > 0 && routeLinks[3 * f] === l) || (k > 1 && routeLinks[3 * f + 1] === l));
      routeLinks[3 * f + k] = l;
    }
  }
  const caps = new Float64Array(flows).fill(Number.POSITIVE_INFINITY);
  const rates = new Float64Array(flows);
  const solver = new MaxMinSolver();
  let best = Number.POSITIVE_INFINITY;
  for (let r = 0; r < repeats; r++) {
    const begin = performance.now();
    solver.solve(links, capacity, flows, routeStart, routeLinks, caps, rates);
    best = Math.min(best, (performance.now() - begin) / 1e3);
  }
  return best;
}

import { InputError } from "../../errors.ts";
import type { Graph } from "./graph.ts";

/**
 * Component label of every vertex (0, 1, … in order of each component's smallest vertex), by an
 * iterative BFS so that a 10⁵-vertex path does not overflow the call stack.
 */
export function connectedComponents(g: Graph): { count: number; label: Int32Array } {
  const label = new Int32Array(g.n).fill(-1);
  const queue = new Int32Array(g.n);
  let count = 0;
  for (let start = 0; start < g.n; start++) {
    if (label[start] !== -1) continue;
    label[start] = count;
    let head = 0;
    let tail = 0;
    queue[tail++] = start;
    while (head < tail) {
      const v = queue[head++]!;
      for (let k = g.offsets[v]!; k < g.offsets[v + 1]!; k++) {
        const w = g.neighbors[k]!;
        if (label[w] === -1) {
          label[w] = count;
          queue[tail++] = w;
        }
      }
    }
    count++;
  }
  return { count, label };
}

export function isConnected(g: Graph): boolean {
  return connectedComponents(g).count <= 1;
}

/**
 * Gossip only reaches consensus on a connected graph; the scenario builder calls this on the gossip
 * graph(s). The message names two vertices in different components so the user can find the gap.
 */
export function requireConnected(g: Graph, path: string): void {
  const { count, label } = connectedComponents(g);
  if (count <= 1) return;
  const other = label.indexOf(1);
  throw new InputError(
    path,
    { workers: g.n, components: count },
    `a connected graph (vertices 0 and ${other} are in different components)`,
  );
}

import { Device } from "../cluster/device.ts";
import type { DownInterval } from "../cluster/failures.ts";
import type { SlowdownEpisode } from "../cluster/speed-profile.ts";
import { drawStragglerEpisodes } from "../cluster/stragglers.ts";
import type { RandomStreams } from "../engine/index.ts";
import type { ClusterSpec } from "../scenario/types.ts";

/**
 * The devices of a scenario: the default spec with each worker's override applied, and each worker's
 * straggler episodes (the fixed ones plus, when asked, a random process drawn up to `horizon`).
 */
export function buildDevices(cluster: ClusterSpec, streams: RandomStreams, horizon: number): Device[] {
  const overrides = new Map(cluster.devices.map((o) => [o.worker, o]));
  const devices: Device[] = [];
  for (let w = 0; w < cluster.workers; w++) {
    const { worker: _, ...override } = overrides.get(w) ?? { worker: w };
    const episodes: SlowdownEpisode[] = cluster.stragglers.episodes.filter((e) => e.worker === w);
    const random = cluster.stragglers.random;
    if (random !== undefined && Number.isFinite(horizon)) {
      episodes.push(...drawStragglerEpisodes(random, w, horizon, streams));
    }
    devices.push(new Device(w, { ...cluster.device, ...override }, episodes));
  }
  return devices;
}

export function downIntervals(cluster: ClusterSpec): DownInterval[] {
  return cluster.failures.map((f) => ({
    worker: f.worker,
    at: f.at,
    duration: f.duration ?? Number.POSITIVE_INFINITY,
  }));
}

import type { RandomStreams } from "../engine/index.ts";
import type { SlowdownEpisode } from "./speed-profile.ts";

/** A random straggler process: episodes arrive per worker as a Poisson process. */
export interface RandomStragglers {
  /** Episodes per second per worker. */
  readonly rate: number;
  /** Mean episode length in seconds (exponentially distributed). */
  readonly duration: number;
  readonly factor: number;
}

/**
 * Draws one worker's random straggler episodes on [0, horizon) from its own stream, so the episodes of
 * worker i do not depend on how many workers there are.
 */
export function drawStragglerEpisodes(
  process: RandomStragglers,
  worker: number,
  horizon: number,
  streams: RandomStreams,
): SlowdownEpisode[] {
  const rng = streams.stream("stragglers", worker);
  const episodes: SlowdownEpisode[] = [];
  if (process.rate <= 0) return episodes;
  let t = rng.exponential(process.rate);
  while (t < horizon) {
    const length = rng.exponential(1 / process.duration);
    episodes.push({ start: t, end: t + length, factor: process.factor });
    t += length + rng.exponential(process.rate);
  }
  return episodes;
}

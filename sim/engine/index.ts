/** The discrete-event engine: clock and queue, processes, coordination, randomness. No cluster concepts. */
export { allOf, anyOf, Barrier, type FirstOf, Mailbox, Timeout } from "./coordination.ts";
export { type Distribution, distributionMean, distributionVariance, sample } from "./distributions.ts";
export { EventQueue } from "./event-queue.ts";
export { Interrupt, Process, type ProcessBody, ProcessError, Processes, type Yieldable } from "./process.ts";
export { RandomStream, RandomStreams } from "./random.ts";
export {
  type EventHandler,
  type EventObserver,
  type RunLimits,
  SchedulingError,
  Simulation,
  type StopReason,
  TimeOverflowError,
} from "./simulation.ts";
export { Timers, type TimerTarget } from "./timers.ts";
export { type Listener, Signal, Waitable, type WaitState } from "./waitable.ts";

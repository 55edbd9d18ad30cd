/**
 * Where each worker's time goes. Every start/end of a compute or a communication is a transition; the
 * interval since the previous transition is charged to compute if any compute was running, to
 * communication if any transfer was in flight (both, when they overlap), and to idle if neither.
 * `exposedComm` is communication time not hidden behind compute. O(1) per transition.
 */
export class TimeLedger {
  readonly computeTime: Float64Array;
  readonly commTime: Float64Array;
  readonly idleTime: Float64Array;
  readonly exposedCommTime: Float64Array;
  private readonly computing: Int32Array;
  private readonly communicating: Int32Array;
  private readonly lastChange: Float64Array;

  constructor(workers: number) {
    this.computeTime = new Float64Array(workers);
    this.commTime = new Float64Array(workers);
    this.idleTime = new Float64Array(workers);
    this.exposedCommTime = new Float64Array(workers);
    this.computing = new Int32Array(workers);
    this.communicating = new Int32Array(workers);
    this.lastChange = new Float64Array(workers);
  }

  computeStart(worker: number, now: number): void {
    this.advance(worker, now);
    this.computing[worker]!++;
  }

  computeEnd(worker: number, now: number): void {
    this.advance(worker, now);
    this.computing[worker]!--;
  }

  commStart(worker: number, now: number): void {
    this.advance(worker, now);
    this.communicating[worker]!++;
  }

  commEnd(worker: number, now: number): void {
    this.advance(worker, now);
    this.communicating[worker]!--;
  }

  /** Charges every worker up to `now` (call at the end of a run). */
  close(now: number): void {
    for (let w = 0; w < this.computing.length; w++) this.advance(w, now);
  }

  private advance(worker: number, now: number): void {
    const dt = now - this.lastChange[worker]!;
    if (dt <= 0) return;
    this.lastChange[worker] = now;
    const computing = this.computing[worker]! > 0;
    const communicating = this.communicating[worker]! > 0;
    if (computing) this.computeTime[worker]! += dt;
    if (communicating) {
      this.commTime[worker]! += dt;
      if (!computing) this.exposedCommTime[worker]! += dt;
    }
    if (!computing && !communicating) this.idleTime[worker]! += dt;
  }
}

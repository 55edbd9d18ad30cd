import type { Socket } from "node:net";
import { authenticate, type Role } from "./auth.ts";
import {
  encodeFrame,
  type Frame,
  FrameDecoder,
  type FrameHeader,
  type FrameLimits,
  type Part,
} from "./framing.ts";

/**
 * How long a peer has to prove the run's secret after connecting. Generous: the answer needs the
 * peer's event loop, which a long CPU gradient may hold for seconds; idle connections cost little
 * meanwhile (gate.ts bounds how many may wait).
 */
export const handshakeTimeoutMs = 30_000;

/**
 * A TCP socket speaking frames (framing.ts): `send` writes one, `onFrame` sees each complete one, and
 * `onClose` fires exactly once, whether the peer hung up, the socket errored or the stream broke the
 * format (then the socket is destroyed: nothing after a bad frame can be trusted).
 */
export class FrameConnection {
  readonly socket: Socket;
  private readonly decoder: FrameDecoder;
  private startReading: (() => void) | undefined;
  private closed = false;
  private closedReason: string | undefined;
  private closeListeners: ((reason: string) => void)[] = [];
  /** Sees each complete frame; replaceable, as a connection moves from handshake to service. */
  onFrame: (frame: Frame) => void;

  /**
   * Runs the handshake (auth.ts) on `socket`, then speaks frames on it. Rejects with an AuthError
   * (the socket destroyed) when the peer does not prove `secret`: nothing it sent reaches a decoder.
   */
  static async open(
    socket: Socket,
    secret: Buffer,
    role: Role,
    limits: FrameLimits,
    timeoutMs = handshakeTimeoutMs,
  ): Promise<FrameConnection> {
    // Latency matters more than packet count: a gradient request is one small write.
    socket.setNoDelay(true);
    try {
      const rest = await authenticate(socket, secret, role, timeoutMs);
      return new FrameConnection(socket, limits, rest);
    } catch (error) {
      socket.destroy();
      throw error;
    }
  }

  /** `socket` has proved the run's secret; `rest` is what it sent after its proof. */
  private constructor(socket: Socket, limits: FrameLimits, rest: Buffer) {
    this.socket = socket;
    this.onFrame = () => {};
    this.decoder = new FrameDecoder(limits);
    const onData = (chunk: Buffer) => {
      let frames: Frame[];
      try {
        frames = this.decoder.push(chunk);
      } catch (error) {
        socket.destroy();
        this.close(`bad frame: ${error instanceof Error ? error.message : String(error)}`);
        return;
      }
      for (const frame of frames) this.onFrame(frame);
    };
    socket.on("data", onData);
    socket.on("error", (error) => this.close(error.message));
    socket.on("close", () => this.close("connection closed"));
    this.startReading = () => {
      if (rest.length > 0) onData(rest);
      socket.resume();
    };
  }

  /**
   * Starts reading frames into `onFrame`. The handshake left the socket paused, so that no frame
   * (not even one that came with the proof) is decoded before its reader is there.
   */
  start(onFrame: (frame: Frame) => void): void {
    this.onFrame = onFrame;
    const startReading = this.startReading;
    this.startReading = undefined;
    startReading?.();
  }

  /** The frames this connection accepts from now on (they grow once the problem is known). */
  set limits(limits: FrameLimits) {
    this.decoder.limits = limits;
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** Calls `listener` once the connection closes; at once if it has already (with its reason). */
  onClose(listener: (reason: string) => void): void {
    if (this.closedReason !== undefined) listener(this.closedReason);
    else this.closeListeners.push(listener);
  }

  /** Writes one frame; false when the connection is already closed (the frame is dropped). */
  send(header: FrameHeader, parts: readonly Part[] = []): boolean {
    if (this.closed || this.socket.destroyed) return false;
    const chunks = encodeFrame(header, parts);
    this.socket.cork();
    for (const chunk of chunks) this.socket.write(chunk);
    this.socket.uncork();
    return true;
  }

  destroy(): void {
    this.socket.destroy();
    this.close("destroyed");
  }

  private close(reason: string): void {
    if (this.closed) return;
    this.closed = true;
    this.closedReason = reason;
    const listeners = this.closeListeners;
    this.closeListeners = [];
    for (const listener of listeners) listener(reason);
  }
}

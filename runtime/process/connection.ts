import type { Socket } from "node:net";
import { encodeFrame, type Frame, FrameDecoder, type FrameHeader, type Part } from "./framing.ts";

/**
 * A TCP socket speaking frames (framing.ts): `send` writes one, `onFrame` sees each complete one, and
 * `onClose` fires exactly once, whether the peer hung up, the socket errored or the stream broke the
 * format (then the socket is destroyed: nothing after a bad frame can be trusted).
 */
export class FrameConnection {
  readonly socket: Socket;
  private readonly decoder = new FrameDecoder();
  private closed = false;
  private closeListeners: ((reason: string) => void)[] = [];
  /** Sees each complete frame; replaceable, as a connection moves from handshake to service. */
  onFrame: (frame: Frame) => void;

  constructor(socket: Socket, onFrame: (frame: Frame) => void = () => {}) {
    this.socket = socket;
    this.onFrame = onFrame;
    // Latency matters more than packet count: a gradient request is one small write.
    socket.setNoDelay(true);
    socket.on("data", (chunk: Buffer) => {
      let frames: Frame[];
      try {
        frames = this.decoder.push(chunk);
      } catch (error) {
        socket.destroy();
        this.close(`bad frame: ${error instanceof Error ? error.message : String(error)}`);
        return;
      }
      for (const frame of frames) this.onFrame(frame);
    });
    socket.on("error", (error) => this.close(error.message));
    socket.on("close", () => this.close("connection closed"));
  }

  get isClosed(): boolean {
    return this.closed;
  }

  onClose(listener: (reason: string) => void): void {
    this.closeListeners.push(listener);
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
    const listeners = this.closeListeners;
    this.closeListeners = [];
    for (const listener of listeners) listener(reason);
  }
}

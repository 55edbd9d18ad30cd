/**
 * The door of a listening socket of the runtime: every connection must prove the run's secret
 * (auth.ts) before it becomes a FrameConnection; one that does not is closed and reported, and never
 * reaches the protocol. At most `maxPending` connections may be proving at once: a flood of
 * connections costs this process at most that many sockets of 64 bytes each, the rest are closed on
 * arrival.
 */
import type { Server, Socket } from "node:net";
import type { Role } from "./auth.ts";
import { FrameConnection, handshakeTimeoutMs } from "./connection.ts";
import type { FrameLimits } from "./framing.ts";

export interface GateOptions {
  readonly secret: Buffer;
  /** The role of the accepting side in the handshake. */
  readonly role?: Role;
  /** The frame limits of an accepted connection, read when it is accepted. */
  readonly limits: () => FrameLimits;
  readonly onAccepted: (connection: FrameConnection) => void;
  /** A connection refused: who it came from and why. */
  readonly onRefused: (from: string, reason: string) => void;
  readonly maxPending?: number;
  readonly timeoutMs?: number;
}

export const defaultMaxPending = 16;

function remoteOf(socket: Socket): string {
  return `${socket.remoteAddress ?? "?"}:${socket.remotePort ?? "?"}`;
}

/** Guards `server`'s connections; returns how many were refused so far. */
export function guardServer(server: Server, options: GateOptions): () => number {
  const maxPending = options.maxPending ?? defaultMaxPending;
  let pending = 0;
  let refused = 0;
  const refuse = (from: string, reason: string) => {
    refused++;
    options.onRefused(from, reason);
  };
  server.on("connection", (socket: Socket) => {
    const from = remoteOf(socket);
    // A socket error must not become an uncaught exception while it waits.
    socket.on("error", () => {});
    if (pending >= maxPending) {
      socket.destroy();
      refuse(from, `more than ${maxPending} connections proving the run's secret at once`);
      return;
    }
    pending++;
    FrameConnection.open(
      socket,
      options.secret,
      options.role ?? "server",
      options.limits(),
      options.timeoutMs ?? handshakeTimeoutMs,
    ).then(
      (connection) => {
        pending--;
        options.onAccepted(connection);
      },
      (error: unknown) => {
        pending--;
        refuse(from, error instanceof Error ? error.message : String(error));
      },
    );
  });
  return () => refused;
}

/**
 * Whether the `count`-th refusal deserves a line of its own: the first three, then every power of
 * ten, so that a flood is reported without flooding the log.
 */
export function worthReporting(count: number): boolean {
  return count <= 3 || Number.isInteger(Math.log10(count));
}

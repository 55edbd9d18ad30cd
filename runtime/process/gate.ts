/**
 * The door of a listening socket of the runtime: every connection must prove the run's secret
 * (auth.ts) before it becomes a FrameConnection; one that does not is closed and reported, and never
 * reaches the protocol. At most `maxPending` connections may be proving at once: a flood of
 * connections costs this process at most that many sockets of 64 bytes each. A new connection beyond
 * the bound drops the oldest one still proving, rather than itself: a legitimate peer proves the
 * secret in one round trip on loopback, so a flood must outpace that to keep it out, where refusing
 * newcomers would let 16 idle sockets lock every peer out for the whole handshake timeout.
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
  /** Sockets still proving the secret, oldest first (a Set keeps insertion order). */
  const pending = new Set<Socket>();
  const dropped = new WeakSet<Socket>();
  let refused = 0;
  const refuse = (from: string, reason: string) => {
    refused++;
    options.onRefused(from, reason);
  };
  server.on("connection", (socket: Socket) => {
    const from = remoteOf(socket);
    // A socket error must not become an uncaught exception while it waits.
    socket.on("error", () => {});
    if (pending.size >= maxPending) {
      const oldest = pending.values().next().value as Socket;
      pending.delete(oldest);
      dropped.add(oldest);
      oldest.destroy();
    }
    pending.add(socket);
    FrameConnection.open(
      socket,
      options.secret,
      options.role ?? "server",
      options.limits(),
      options.timeoutMs ?? handshakeTimeoutMs,
    ).then(
      (connection) => {
        pending.delete(socket);
        options.onAccepted(connection);
      },
      (error: unknown) => {
        pending.delete(socket);
        const reason = dropped.has(socket)
          ? `dropped: more than ${maxPending} connections were proving the run's secret at once`
          : error instanceof Error
            ? error.message
            : String(error);
        refuse(from, reason);
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

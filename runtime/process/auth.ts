/**
 * Proof of a run's secret on every TCP connection of the runtime, before a single frame is read: a
 * process on the same machine can reach a loopback port, but it cannot read the secret (it travels in
 * the worker's environment, never on its command line, which any user can read in /proc).
 *
 * Mutual challenge/response, both sides at once, 64 bytes each way:
 *
 *     each side sends    32 random bytes (its nonce)
 *     then, once it has the other's nonce,
 *                        HMAC-SHA256(secret, "dtsim-auth-v1" ‖ own role ‖ other's nonce ‖ own nonce)
 *
 * Each side checks the other's MAC in constant time. The role ("client" for the side that connected,
 * "server" for the side that accepted) is in the MAC, so a MAC cannot be reflected back to its
 * author; fresh nonces on both sides mean a recorded exchange cannot be replayed. Nothing is handed to
 * the frame decoder until the peer has proved the secret, so an unauthenticated peer can make this
 * process allocate at most 64 bytes, for at most `timeoutMs`.
 */
import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import type { Socket } from "node:net";

/** The environment variable that carries the run's secret (hex) to a worker process. */
export const secretVariable = "DTSIM_RUN_SECRET";
export const secretBytes = 32;
const nonceBytes = 32;
const macBytes = 32;
const label = Buffer.from("dtsim-auth-v1", "utf8");

export type Role = "client" | "server";

/** A fresh secret for one run. */
export function newRunSecret(): Buffer {
  return randomBytes(secretBytes);
}

/** Reads the run's secret from the environment and removes it there (child processes need not see it). */
export function takeSecretFromEnvironment(env: NodeJS.ProcessEnv = process.env): Buffer {
  const hex = env[secretVariable] ?? "";
  delete env[secretVariable];
  if (!/^[0-9a-f]+$/.test(hex) || hex.length !== 2 * secretBytes) {
    throw new AuthError(`${secretVariable} must hold ${secretBytes} bytes in hex`);
  }
  return Buffer.from(hex, "hex");
}

/** A peer that did not prove the run's secret (or did not in time). */
export class AuthError extends Error {
  override readonly name = "AuthError";
}

function mac(secret: Buffer, role: Role, theirNonce: Buffer, ownNonce: Buffer): Buffer {
  return createHmac("sha256", secret).update(label).update(role).update(theirNonce).update(ownNonce).digest();
}

const otherRole = (role: Role): Role => (role === "client" ? "server" : "client");

/**
 * Runs the handshake on a fresh socket. Resolves, with the socket paused, with whatever bytes the peer
 * sent after its proof (the start of its first frame); rejects with an AuthError when the peer's MAC
 * is wrong, the socket closes or `timeoutMs` passes. The caller destroys the socket on rejection.
 */
export function authenticate(socket: Socket, secret: Buffer, role: Role, timeoutMs: number): Promise<Buffer> {
  const ownNonce = randomBytes(nonceBytes);
  const expectedBytes = nonceBytes + macBytes;
  // Never more than 64 bytes are kept from an unauthenticated peer; the rest waits for the check.
  const received = Buffer.alloc(expectedBytes);
  let filled = 0;
  let sentMac = false;
  return new Promise<Buffer>((resolve, reject) => {
    const finish = (error: AuthError | undefined, rest?: Buffer) => {
      clearTimeout(timer);
      socket.off("data", onData);
      socket.off("close", onClose);
      socket.off("error", onError);
      socket.pause();
      if (error === undefined) resolve(rest ?? Buffer.alloc(0));
      else reject(error);
    };
    const onData = (chunk: Buffer) => {
      const take = Math.min(expectedBytes - filled, chunk.length);
      chunk.copy(received, filled, 0, take);
      filled += take;
      if (!sentMac && filled >= nonceBytes) {
        sentMac = true;
        socket.write(mac(secret, role, received.subarray(0, nonceBytes), ownNonce));
      }
      if (filled < expectedBytes) return;
      const theirNonce = received.subarray(0, nonceBytes);
      const expected = mac(secret, otherRole(role), ownNonce, theirNonce);
      if (!timingSafeEqual(expected, received.subarray(nonceBytes))) {
        finish(new AuthError("wrong proof of the run's secret"));
        return;
      }
      finish(undefined, Buffer.from(chunk.subarray(take)));
    };
    const onClose = () =>
      finish(new AuthError(`closed after ${filled} of the handshake's ${expectedBytes} bytes`));
    const onError = (error: Error) => finish(new AuthError(error.message));
    const timer = setTimeout(
      () => finish(new AuthError(`no proof of the run's secret within ${timeoutMs / 1000} s`)),
      timeoutMs,
    );
    timer.unref();
    socket.on("data", onData);
    socket.on("close", onClose);
    socket.on("error", onError);
    socket.write(ownNonce);
  });
}

import type { ConnectionOptions } from "bullmq";
import { InputError } from "../../sim/errors.ts";

/**
 * Where the queue lives: `--queue redis://[USER:PASSWORD@]HOST[:PORT][/DB]` (`rediss://` for TLS).
 * Credentials in the URL are Redis ACL ones (a password alone is the `default` user's). They are
 * handed to ioredis and never printed: every message shows the URL through `redactedUrl`.
 */
export interface QueueAddress {
  /** The URL as given, credentials included: for connecting only, never for messages. */
  readonly url: string;
  /** The same URL with the password (and user) replaced by `***`: what messages show. */
  readonly shown: string;
}

const SYNTAX = "redis://[USER:PASSWORD@]HOST[:PORT][/DB] (or rediss:// for TLS)";

/** A Redis server that cannot be reached or used: the machine's problem, not the input's (exit 3). */
export class QueueUnavailableError extends Error {
  override readonly name = "QueueUnavailableError";
}

/** Reads `--queue`: a bad URL is an InputError whose value has its credentials hidden. */
export function parseQueueAddress(text: string): QueueAddress {
  const shown = redactedUrl(text);
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new InputError("--queue", shown, SYNTAX);
  }
  if (url.protocol !== "redis:" && url.protocol !== "rediss:") throw new InputError("--queue", shown, SYNTAX);
  if (url.hostname === "") throw new InputError("--queue", shown, `${SYNTAX}, with a HOST`);
  const db = url.pathname.replace(/^\//, "");
  if (db !== "" && !/^\d{1,5}$/.test(db)) {
    throw new InputError("--queue", shown, `${SYNTAX}, with DB a database number such as 0`);
  }
  if (url.search !== "" || url.hash !== "")
    throw new InputError("--queue", shown, `${SYNTAX}, with no ?query or #fragment`);
  return { url: text, shown };
}

/** The URL with whatever sits before `@` in its authority replaced by `***`. */
export function redactedUrl(text: string): string {
  return text.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^@/]*@/i, "$1***@");
}

/**
 * ioredis options for BullMQ's long-lived connections: commands wait through a reconnection rather
 * than fail (BullMQ requires `maxRetriesPerRequest: null` for its blocking connections), so that a
 * Redis restart pauses a sweep instead of ending it.
 */
export function connectionOptions(address: QueueAddress): ConnectionOptions {
  return { ...urlOptions(address), maxRetriesPerRequest: null };
}

/**
 * Connects once, without retrying, and checks that the server is one BullMQ can rely on: reachable,
 * the credentials accepted, and `maxmemory-policy noeviction` (any other policy may evict queued
 * jobs under memory pressure, which BullMQ cannot survive). Returns a warning line when the policy
 * cannot be read (managed servers often disable CONFIG); throws QueueUnavailableError otherwise.
 */
export async function probeQueue(address: QueueAddress): Promise<string | undefined> {
  const { Redis } = await import("ioredis");
  const probe = new Redis({
    ...urlOptions(address),
    lazyConnect: true,
    connectTimeout: 5000,
    // The ready check (INFO) would turn NOAUTH into "Connection is closed"; PING says it plainly.
    enableReadyCheck: false,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  // Without a listener, ioredis prints connection errors itself. The event also carries the server's
  // refusal (NOAUTH, WRONGPASS) where the command then only fails with "Connection is closed".
  let refusal: unknown;
  probe.on("error", (error) => {
    refusal = error;
  });
  try {
    await probe.connect();
    await probe.ping();
  } catch (error) {
    probe.disconnect();
    throw new QueueUnavailableError(
      `--queue ${address.shown}: cannot use Redis there (${reason(refusal ?? error)})`,
    );
  }
  try {
    const reply = (await probe.call("CONFIG", "GET", "maxmemory-policy")) as unknown;
    const policy = Array.isArray(reply) ? reply[1] : undefined;
    if (typeof policy === "string" && policy !== "noeviction") {
      throw new QueueUnavailableError(
        `--queue ${address.shown}: Redis has maxmemory-policy ${policy}; the queue needs noeviction ` +
          "(set it in redis.conf, or: redis-cli CONFIG SET maxmemory-policy noeviction)",
      );
    }
    return undefined;
  } catch (error) {
    if (error instanceof QueueUnavailableError) throw error;
    return `--queue ${address.shown}: could not read maxmemory-policy (${reason(error)}); make sure it is noeviction`;
  } finally {
    probe.disconnect();
  }
}

interface UrlOptions {
  readonly host: string;
  readonly port: number;
  readonly db: number;
  readonly username?: string;
  readonly password?: string;
  readonly tls?: { readonly servername: string };
}

function urlOptions(address: QueueAddress): UrlOptions {
  const url = new URL(address.url);
  const db = url.pathname.replace(/^\//, "");
  return {
    host: url.hostname.replace(/^\[(.*)\]$/, "$1"),
    port: url.port === "" ? 6379 : Number(url.port),
    db: db === "" ? 0 : Number(db),
    ...(url.username === "" ? {} : { username: decodeURIComponent(url.username) }),
    ...(url.password === "" ? {} : { password: decodeURIComponent(url.password) }),
    ...(url.protocol === "rediss:" ? { tls: { servername: url.hostname } } : {}),
  };
}

/** One line from an ioredis or socket error; it never contains the URL's credentials. */
function reason(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split("\n")[0]!.slice(0, 200);
}

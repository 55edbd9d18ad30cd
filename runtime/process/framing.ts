/**
 * The wire format between the coordinator and worker processes, and between workers: a stream of
 * frames, each a small JSON header plus a binary payload of typed arrays.
 *
 *     u32 LE  header length H
 *     u32 LE  payload length P
 *     H bytes of UTF-8 JSON (the header, with `parts` describing the payload)
 *     P bytes of payload: the parts back to back, each starting at a multiple of 8 bytes
 *
 * Numbers that must survive exactly (a loss that may be NaN, which JSON cannot carry) travel as f64
 * parts, never in the header. A TCP stream cuts and merges frames arbitrarily, so `FrameDecoder`
 * reassembles them; a frame's payload is copied once, into its own buffer, which keeps every part
 * aligned for a typed-array view and lets a 16 MiB vector arrive in 64 KiB chunks without quadratic
 * concatenation.
 */

export type PartType = "f32" | "f64" | "i32";
export type Part = Float32Array | Float64Array | Int32Array;

/** Header fields the framing owns; the rest is the message's. */
export interface FrameHeader {
  readonly type: string;
  readonly [field: string]: unknown;
}

export interface Frame {
  readonly header: FrameHeader;
  /** The payload's parts, in the order they were encoded. */
  readonly parts: readonly Part[];
}

/** What the format itself can carry; a connection's own limits (`FrameLimits`) are far smaller. */
export const maxPayloadBytes = 2 ** 32 - 1;

/**
 * The largest frame a connection accepts, checked against the 8-byte prefix BEFORE anything is
 * allocated: a peer announcing more is broken or hostile, and the connection is dropped.
 */
export interface FrameLimits {
  readonly headerBytes: number;
  readonly payloadBytes: number;
}

/** Until a connection knows the problem: headers only (hello, setup, peers, ready), no vectors. */
export const controlLimits: FrameLimits = { headerBytes: 256 * 1024, payloadBytes: 0 };

/**
 * The limits once the problem is known: the largest legitimate payload is a vector of `vectorLength`
 * f32 plus either a batch of up to `batchLength` i32 indices (a gradient request) or one f64 loss (a
 * gradient's answer); a transfer is one vector.
 */
export function vectorLimits(vectorLength: number, batchLength: number): FrameLimits {
  const payloadBytes = aligned(4 * vectorLength) + Math.max(aligned(4 * batchLength), 8);
  if (payloadBytes > maxPayloadBytes) throw new RangeError(`frames of ${payloadBytes} bytes`);
  return { headerBytes: controlLimits.headerBytes, payloadBytes };
}

const prefixBytes = 8;

function partType(part: Part): PartType {
  if (part instanceof Float32Array) return "f32";
  if (part instanceof Float64Array) return "f64";
  return "i32";
}

function aligned(offset: number): number {
  return Math.ceil(offset / 8) * 8;
}

/**
 * One frame as buffers to write in order (`socket.cork()`/`write` each, or `Buffer.concat`): the
 * parts' bytes are referenced, not copied, so they must not change until written.
 */
export function encodeFrame(header: FrameHeader, parts: readonly Part[] = []): Buffer[] {
  const layout = parts.map((part) => [partType(part), part.length] as const);
  const json = Buffer.from(JSON.stringify({ ...header, parts: layout }), "utf8");
  const chunks: Buffer[] = [];
  let payloadLength = 0;
  for (const part of parts) {
    const start = aligned(payloadLength);
    if (start > payloadLength) chunks.push(Buffer.alloc(start - payloadLength));
    chunks.push(Buffer.from(part.buffer, part.byteOffset, part.byteLength));
    payloadLength = start + part.byteLength;
  }
  if (payloadLength > maxPayloadBytes) throw new RangeError(`frame payload of ${payloadLength} bytes`);
  const prefix = Buffer.alloc(prefixBytes);
  prefix.writeUInt32LE(json.length, 0);
  prefix.writeUInt32LE(payloadLength, 4);
  return [prefix, json, ...chunks];
}

/** A stream that broke the format (the connection should be dropped). */
export class FramingError extends Error {
  override readonly name = "FramingError";
}

/** Reassembles frames from a byte stream cut anywhere. */
export class FrameDecoder {
  /** Replaceable: a connection's limits grow once the problem is known. */
  limits: FrameLimits;
  private readonly prefix = Buffer.alloc(prefixBytes);
  private prefixFilled = 0;
  private header: Buffer | undefined;
  private payload: Uint8Array | undefined;
  private filled = 0;

  constructor(limits: FrameLimits) {
    this.limits = limits;
  }

  /** Feeds one chunk; returns the frames it completed, in order. */
  push(chunk: Uint8Array): Frame[] {
    const frames: Frame[] = [];
    let at = 0;
    while (at < chunk.length) {
      if (this.header === undefined) {
        const take = Math.min(prefixBytes - this.prefixFilled, chunk.length - at);
        this.prefix.set(chunk.subarray(at, at + take), this.prefixFilled);
        this.prefixFilled += take;
        at += take;
        if (this.prefixFilled < prefixBytes) break;
        const headerLength = this.prefix.readUInt32LE(0);
        const payloadLength = this.prefix.readUInt32LE(4);
        if (headerLength > this.limits.headerBytes) {
          throw new FramingError(
            `header of ${headerLength} bytes, at most ${this.limits.headerBytes} allowed`,
          );
        }
        if (payloadLength > this.limits.payloadBytes) {
          throw new FramingError(
            `payload of ${payloadLength} bytes, at most ${this.limits.payloadBytes} allowed`,
          );
        }
        this.header = Buffer.alloc(headerLength);
        // Its own ArrayBuffer at offset 0 (never the shared pool, so parts stay aligned), not
        // zero-filled: every byte is written before the frame is handed out.
        this.payload = Buffer.allocUnsafeSlow(payloadLength);
        this.filled = 0;
      }
      const header = this.header;
      const payload = this.payload!;
      const total = header.length + payload.length;
      const take = Math.min(total - this.filled, chunk.length - at);
      const piece = chunk.subarray(at, at + take);
      // The piece may straddle the header/payload boundary.
      const intoHeader = Math.max(0, Math.min(header.length - this.filled, take));
      if (intoHeader > 0) header.set(piece.subarray(0, intoHeader), this.filled);
      if (take > intoHeader)
        payload.set(piece.subarray(intoHeader), this.filled + intoHeader - header.length);
      this.filled += take;
      at += take;
      if (this.filled === total) {
        frames.push(decodeFrame(header, payload));
        this.header = undefined;
        this.payload = undefined;
        this.prefixFilled = 0;
      }
    }
    return frames;
  }
}

function decodeFrame(json: Buffer, payload: Uint8Array): Frame {
  let parsed: unknown;
  try {
    parsed = JSON.parse(json.toString("utf8"));
  } catch {
    throw new FramingError("header is not JSON");
  }
  if (typeof parsed !== "object" || parsed === null || typeof (parsed as FrameHeader).type !== "string") {
    throw new FramingError("header has no type");
  }
  const { parts: layout, ...header } = parsed as FrameHeader & { parts?: unknown };
  if (!Array.isArray(layout)) throw new FramingError("header has no parts");
  const parts: Part[] = [];
  let offset = 0;
  for (const entry of layout as unknown[]) {
    const [type, length] = entry as [unknown, unknown];
    if (typeof length !== "number" || !Number.isSafeInteger(length) || length < 0) {
      throw new FramingError(`bad part length ${String(length)}`);
    }
    offset = aligned(offset);
    const size = type === "f64" ? 8 : 4;
    if (offset + length * size > payload.length) throw new FramingError("parts overrun the payload");
    const buffer = payload.buffer;
    const byteOffset = payload.byteOffset + offset;
    if (type === "f32") parts.push(new Float32Array(buffer, byteOffset, length));
    else if (type === "f64") parts.push(new Float64Array(buffer, byteOffset, length));
    else if (type === "i32") parts.push(new Int32Array(buffer, byteOffset, length));
    else throw new FramingError(`unknown part type ${String(type)}`);
    offset += length * size;
  }
  return { header: header as FrameHeader, parts };
}

import { describe, expect, it } from "vitest";
import {
  controlLimits,
  encodeFrame,
  type Frame,
  FrameDecoder,
  FramingError,
  vectorLimits,
} from "../../runtime/process/framing.ts";
import { RandomStreams } from "../../sim/engine/random.ts";

function bytesOf(chunks: readonly Buffer[]): Uint8Array {
  return new Uint8Array(Buffer.concat(chunks));
}

/** Feeds `bytes` cut at `cuts` (sorted offsets) and returns every frame decoded. */
/** Room for the frames below: up to the large vector of 100 003 entries and a few more. */
const limits = vectorLimits(100_003, 16);

function decodeCut(bytes: Uint8Array, cuts: readonly number[]): Frame[] {
  const decoder = new FrameDecoder(limits);
  const frames: Frame[] = [];
  let from = 0;
  for (const cut of [...cuts, bytes.length]) {
    frames.push(...decoder.push(bytes.subarray(from, cut)));
    from = cut;
  }
  return frames;
}

const gradient = new Float32Array([1.5, -2.25, 3e-8, 7]);
const batch = Int32Array.of(4, 0, 4, 9);
const loss = Float64Array.of(Number.NaN);

function expectFrames(frames: readonly Frame[]): void {
  expect(frames.map((f) => f.header)).toEqual([
    { type: "gradient", id: 1, note: "é ✓" },
    { type: "stop" },
    { type: "gradient-done", id: 1 },
  ]);
  expect(frames[0]!.parts).toEqual([gradient, batch]);
  expect(frames[1]!.parts).toEqual([]);
  const [g, l] = frames[2]!.parts;
  expect(g).toEqual(gradient.subarray(1));
  expect(Number.isNaN(l![0])).toBe(true);
}

describe("frames over a byte stream", () => {
  const stream = bytesOf([
    ...encodeFrame({ type: "gradient", id: 1, note: "é ✓" }, [gradient, batch]),
    ...encodeFrame({ type: "stop" }),
    // A view into the middle of a buffer: only its own bytes go out.
    ...encodeFrame({ type: "gradient-done", id: 1 }, [gradient.subarray(1), loss]),
  ]);

  it("decodes frames merged into one chunk", () => {
    expectFrames(decodeCut(stream, []));
  });

  it("decodes frames cut at every single position", () => {
    for (let cut = 1; cut < stream.length; cut++) expectFrames(decodeCut(stream, [cut]));
  });

  it("decodes frames delivered one byte at a time", () => {
    expectFrames(
      decodeCut(
        stream,
        Array.from({ length: stream.length - 1 }, (_, i) => i + 1),
      ),
    );
  });

  it("reassembles a large vector from random chunk sizes, parts aligned", () => {
    const rng = new RandomStreams(3).stream("framing-test");
    const big = new Float32Array(100_003).map(() => rng.normal());
    const bytes = bytesOf([...encodeFrame({ type: "transfer", id: 9 }, [Int32Array.of(5), big, loss])]);
    const cuts: number[] = [];
    for (let at = rng.int(70_000); at < bytes.length; at += 1 + rng.int(70_000)) cuts.push(at);
    const [frame, ...rest] = decodeCut(bytes, cuts);
    expect(rest).toEqual([]);
    expect(frame!.parts[0]).toEqual(Int32Array.of(5));
    // Compared as bytes with Buffer.equals: toEqual walks 10⁵ elements very slowly.
    const received = frame!.parts[1]!;
    expect(received).toBeInstanceOf(Float32Array);
    const same = Buffer.from(received.buffer, received.byteOffset, received.byteLength).equals(
      Buffer.from(big.buffer),
    );
    expect(same).toBe(true);
    expect(frame!.parts[1]!.byteOffset % 8).toBe(0);
    expect(frame!.parts[2]!.byteOffset % 8).toBe(0);
  });

  it("refuses a header that is not JSON", () => {
    const prefix = Buffer.alloc(8);
    prefix.writeUInt32LE(3, 0);
    const bytes = bytesOf([prefix, Buffer.from("{x}")]);
    expect(() => new FrameDecoder(limits).push(bytes)).toThrow(FramingError);
  });

  it("refuses parts that overrun the payload", () => {
    const json = Buffer.from(JSON.stringify({ type: "t", parts: [["f32", 4]] }));
    const prefix = Buffer.alloc(8);
    prefix.writeUInt32LE(json.length, 0);
    prefix.writeUInt32LE(8, 4);
    expect(() => new FrameDecoder(limits).push(bytesOf([prefix, json, Buffer.alloc(8)]))).toThrow(/overrun/);
  });

  it("refuses a payload beyond the limits from its prefix alone, before allocating it", () => {
    // 3 GB announced by 8 bytes: the decoder must throw on the prefix, never reserve the memory.
    const prefix = Buffer.alloc(8);
    prefix.writeUInt32LE(2, 0);
    prefix.writeUInt32LE(3_000_000_000, 4);
    const decoder = new FrameDecoder(vectorLimits(1000, 16));
    const before = process.memoryUsage().arrayBuffers;
    expect(() => decoder.push(prefix)).toThrow(/payload of 3000000000 bytes, at most 4064 allowed/);
    expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(1 << 20);
  });

  it("refuses a header beyond the limits, and any payload before the problem is known", () => {
    const big = Buffer.alloc(8);
    big.writeUInt32LE(controlLimits.headerBytes + 1, 0);
    expect(() => new FrameDecoder(controlLimits).push(big)).toThrow(/header of \d+ bytes, at most/);
    const vector = bytesOf(encodeFrame({ type: "transfer" }, [new Float32Array(1)]));
    expect(() => new FrameDecoder(controlLimits).push(vector)).toThrow(/payload of 4 bytes, at most 0/);
  });

  it("accepts the largest legitimate frames exactly, and one more entry is refused", () => {
    const bounded = vectorLimits(5, 3);
    const request = bytesOf(encodeFrame({ type: "gradient" }, [new Float32Array(5), new Int32Array(3)]));
    const answer = bytesOf(
      encodeFrame({ type: "gradient-done" }, [new Float32Array(5), new Float64Array(1)]),
    );
    expect(new FrameDecoder(bounded).push(request)).toHaveLength(1);
    expect(new FrameDecoder(bounded).push(answer)).toHaveLength(1);
    const longer = bytesOf(encodeFrame({ type: "transfer" }, [new Float32Array(5), new Int32Array(5)]));
    expect(() => new FrameDecoder(bounded).push(longer)).toThrow(FramingError);
  });
});

/**
 * The shape shared by every memory-bound element-wise kernel: one invocation per four coordinates,
 * `array<vec4f>` loads and stores (scalar f32 kernels are *slower* than a JS loop on llvmpipe, vec4
 * ones 1.5–2.8× faster: webgpu-on-linux.md §3b), and a masked last vector so that a length that is not
 * a multiple of 4 leaves the padding coordinates of the buffer exactly as they were.
 *
 * A kernel is described by its vectors (in binding order, written or read-only), its f32 scalars and a
 * body of WGSL statements on `vec4f` locals named after the vectors; the generator adds the bindings,
 * the bounds check, the loads and the (masked) stores. Scalars arrive in a uniform block after the
 * length: `u.<name>`.
 */
import type { GpuContext } from "./context.ts";

export interface Vec4Vector {
  readonly name: string;
  /** Written back by the kernel (bound read_write). */
  readonly write: boolean;
  /** Read by the kernel (default true); a write-only vector (fill) is not loaded. */
  readonly load?: boolean;
}

export interface Vec4Op {
  readonly name: string;
  readonly vectors: readonly Vec4Vector[];
  readonly scalars: readonly string[];
  /** WGSL statements; locals named after the vectors hold this invocation's four coordinates. */
  readonly body: string;
}

/** Generated code per (op, workgroup size): the same string instance each time, so the context's
 *  pipeline cache lookup hashes it once. */
const codeCache = new WeakMap<Vec4Op, Map<number, string>>();

export function vec4Wgsl(op: Vec4Op, workgroupSize: number): string {
  let byWg = codeCache.get(op);
  if (byWg === undefined) {
    byWg = new Map();
    codeCache.set(op, byWg);
  }
  let code = byWg.get(workgroupSize);
  if (code === undefined) {
    code = generate(op, workgroupSize);
    byWg.set(workgroupSize, code);
  }
  return code;
}

function generate(op: Vec4Op, wg: number): string {
  const fields = ["n: u32", ...op.scalars.map((s) => `${s}: f32`)];
  const bindings = op.vectors.map(
    (v, j) =>
      `@group(0) @binding(${j + 1}) var<storage, ${v.write ? "read_write" : "read"}> buf_${v.name}: array<vec4f>;`,
  );
  const loads = op.vectors.map((v) =>
    v.load === false ? `var ${v.name}: vec4f;` : `${v.write ? "var" : "let"} ${v.name} = buf_${v.name}[i];`,
  );
  const written = op.vectors.filter((v) => v.write);
  const stores = written.map((v) => `buf_${v.name}[i] = ${v.name};`);
  const maskedStores = written.map((v) => `buf_${v.name}[i] = select(buf_${v.name}[i], ${v.name}, keep);`);
  return /* wgsl */ `// ${op.name}
struct Params { ${fields.join(", ")} }
@group(0) @binding(0) var<uniform> u: Params;
${bindings.join("\n")}

@compute @workgroup_size(${wg})
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(local_invocation_index) lid: u32) {
  let i = (wid.x + wid.y * 65535u) * ${wg}u + lid;
  let first = i * 4u;
  if (first >= u.n) { return; }
  ${loads.join("\n  ")}
  ${op.body}
  if (first + 4u <= u.n) {
    ${stores.join("\n    ")}
  } else {
    // The last, partial vector: keep the coordinates past the length as they were.
    let keep = (vec4u(first) + vec4u(0u, 1u, 2u, 3u)) < vec4u(u.n);
    ${maskedStores.join("\n    ")}
  }
}
`;
}

/** The uniform block: the length as u32, then the scalars as f32 (rounded from float64 here). */
export function vec4Params(n: number, scalars: readonly number[]): ArrayBuffer {
  const params = new ArrayBuffer(4 + 4 * scalars.length);
  new Uint32Array(params, 0, 1)[0] = n;
  new Float32Array(params, 4, scalars.length).set(scalars);
  return params;
}

/** Records `op` over coordinates [0, n) of `buffers` (in the op's vector order); nothing when n = 0. */
export function recordVec4(
  ctx: GpuContext,
  workgroupSize: number,
  op: Vec4Op,
  buffers: readonly GPUBuffer[],
  n: number,
  scalars: readonly number[],
): void {
  if (n === 0) return;
  const pipeline = ctx.pipeline(vec4Wgsl(op, workgroupSize));
  const groups = Math.ceil(Math.ceil(n / 4) / workgroupSize);
  ctx.dispatch(pipeline, buffers, vec4Params(n, scalars), groups);
}

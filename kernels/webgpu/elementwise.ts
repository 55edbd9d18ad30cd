/**
 * The element-wise BLAS-1 kernels (vec4, see vec4-kernel.ts): fill, scale, axpy, axpby, lerp.
 * Arithmetic is float32 with the scalars rounded to float32; WGSL may fuse a·x + y into one fma.
 */
import type { Vec4Op } from "./vec4-kernel.ts";

/** x ← value (x is not read). */
export const FILL: Vec4Op = {
  name: "fill",
  vectors: [{ name: "x", write: true, load: false }],
  scalars: ["value"],
  body: "x = vec4f(u.value);",
};

/** x ← a·x */
export const SCALE: Vec4Op = {
  name: "scale",
  vectors: [{ name: "x", write: true }],
  scalars: ["a"],
  body: "x = u.a * x;",
};

/** y ← y + a·x */
export const AXPY: Vec4Op = {
  name: "axpy",
  vectors: [
    { name: "y", write: true },
    { name: "x", write: false },
  ],
  scalars: ["a"],
  body: "y = y + u.a * x;",
};

/** y ← a·x + b·y */
export const AXPBY: Vec4Op = {
  name: "axpby",
  vectors: [
    { name: "y", write: true },
    { name: "x", write: false },
  ],
  scalars: ["a", "b"],
  body: "y = u.a * x + u.b * y;",
};

/** x ← x + t·(y − x) */
export const LERP: Vec4Op = {
  name: "lerp",
  vectors: [
    { name: "x", write: true },
    { name: "y", write: false },
  ],
  scalars: ["t"],
  body: "x = x + u.t * (y - x);",
};

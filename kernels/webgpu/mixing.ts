/**
 * The gossip and ODE mixing kernels (vec4, see vec4-kernel.ts): pairAverage, mix2 (A²CiD²) and
 * linear6 (DADAO's six-vector exponential step). Every new value is computed from the loaded old
 * values before any store, so no coordinate is read after it was overwritten.
 */
import type { Vec4Op } from "./vec4-kernel.ts";

/** x, y ← (x + y)/2: one value computed once and stored twice, so x and y stay bit-identical. */
export const PAIR_AVERAGE: Vec4Op = {
  name: "pairAverage",
  vectors: [
    { name: "x", write: true },
    { name: "y", write: true },
  ],
  scalars: [],
  body: "let mean = (x + y) * 0.5;\n  x = mean;\n  y = mean;",
};

/** x ← a·x + b·x̃, x̃ ← a·x̃ + b·x, from the old values. */
export const MIX2: Vec4Op = {
  name: "mix2",
  vectors: [
    { name: "x", write: true },
    { name: "xt", write: true },
  ],
  scalars: ["a", "b"],
  body: "let oldX = x;\n  x = u.a * x + u.b * xt;\n  xt = u.a * xt + u.b * oldX;",
};

const LINEAR6_NAMES = ["s0", "s1", "s2", "s3", "s4", "s5"] as const;

/** s ← E·s coordinate-wise, E row-major in uniforms e0 … e35. */
export const LINEAR6: Vec4Op = {
  name: "linear6",
  vectors: LINEAR6_NAMES.map((name) => ({ name, write: true })),
  scalars: Array.from({ length: 36 }, (_, i) => `e${i}`),
  body: [
    ...LINEAR6_NAMES.map((s) => `let old_${s} = ${s};`),
    ...LINEAR6_NAMES.map(
      (s, r) => `${s} = ${LINEAR6_NAMES.map((c, col) => `u.e${6 * r + col} * old_${c}`).join(" + ")};`,
    ),
  ].join("\n  "),
};

/**
 * A²CiD²'s side of an exchange in one pass: d = x_j − x; x̃ ← x̃ + α̃·d; x ← x + α·d (x_j only read),
 * the arithmetic of three axpy in their order.
 */
export const A2CID2_EXCHANGE: Vec4Op = {
  name: "a2cid2Exchange",
  vectors: [
    { name: "x", write: true },
    { name: "xt", write: true },
    { name: "xj", write: false },
  ],
  scalars: ["alpha", "alphaTilde"],
  body: "let d = xj - x;\n  xt = xt + u.alphaTilde * d;\n  x = x + u.alpha * d;",
};

/**
 * A²CiD²'s gradient update in one pass: mix2 (unless a = 1 and b = 0: no elapsed time), then
 * sgdMomentum, then x̃ ← x̃ − lr·m, the arithmetic of those kernels in their order.
 */
export const A2CID2_GRADIENT_STEP: Vec4Op = {
  name: "a2cid2GradientStep",
  vectors: [
    { name: "x", write: true },
    { name: "xt", write: true },
    { name: "m", write: true },
    { name: "g", write: false },
  ],
  scalars: ["a", "b", "lr", "momentum", "weightDecay"],
  body: [
    "if (u.a != 1.0 || u.b != 0.0) {",
    "    let oldX = x;",
    "    x = u.a * x + u.b * xt;",
    "    xt = u.a * xt + u.b * oldX;",
    "  }",
    "m = u.momentum * m + (g + u.weightDecay * x);",
    "x = x - u.lr * m;",
    "xt = xt - u.lr * m;",
  ].join("\n  "),
};

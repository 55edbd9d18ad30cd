/**
 * Optimizer steps (vec4, see vec4-kernel.ts), PyTorch semantics as in kernels/cpu.ts. The step's
 * scalars that depend only on hyper-parameters and t (decay, bias corrections) are computed on the
 * host in float64 and passed rounded to float32, so the kernel does the per-coordinate work only.
 */
import type { Vec4Op } from "./vec4-kernel.ts";

/** g' = g + wd·x; m ← μ·m + g'; x ← x − lr·m (torch.optim.SGD, dampening 0, no Nesterov). */
export const SGD_MOMENTUM: Vec4Op = {
  name: "sgdMomentum",
  vectors: [
    { name: "x", write: true },
    { name: "m", write: true },
    { name: "g", write: false },
  ],
  scalars: ["lr", "momentum", "weightDecay"],
  body: "m = u.momentum * m + (g + u.weightDecay * x);\n  x = x - u.lr * m;",
};

/**
 * torch.optim.AdamW: x ← x·decay; m ← β₁m + (1−β₁)g; v ← β₂v + (1−β₂)g²;
 * x ← x − stepSize·m / (√v·invSqrtBc2 + ε), with decay = 1 − lr·wd, stepSize = lr/(1 − β₁ᵗ) and
 * invSqrtBc2 = 1/√(1 − β₂ᵗ) from the host.
 */
export const ADAMW: Vec4Op = {
  name: "adamw",
  vectors: [
    { name: "x", write: true },
    { name: "m", write: true },
    { name: "v", write: true },
    { name: "g", write: false },
  ],
  scalars: ["decay", "beta1", "c1", "beta2", "c2", "stepSize", "invSqrtBc2", "eps"],
  body: [
    "m = u.beta1 * m + u.c1 * g;",
    "v = u.beta2 * v + u.c2 * (g * g);",
    "x = x * u.decay - (u.stepSize * m) / (sqrt(v) * u.invSqrtBc2 + u.eps);",
  ].join("\n  "),
};

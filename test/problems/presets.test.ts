import { describe, expect, it } from "vitest";
import { ShapeKernels } from "../../kernels/shape.ts";
import { modelPresetRegistry } from "../../sim/problems/model-presets.ts";
import { PresetProblem } from "../../sim/problems/presets.ts";
import type { Problem } from "../../sim/problems/problem.ts";

/** GPT-Neo / GPT-2-style decoder: embeddings, L blocks (q, k, v without bias, out with bias, 4d MLP, 2 LN), final LN. */
function gptNeoParameters(vocab: number, d: number, layers: number, positions: number): number {
  const block = 3 * d * d + (d * d + d) + (d * 4 * d + 4 * d) + (4 * d * d + d) + 4 * d;
  return vocab * d + positions * d + layers * block + 2 * d;
}

/** Llama: untied embeddings and head, L blocks (4 d² attention, 3·d·ffn SwiGLU MLP, 2 RMSNorm), final norm. */
function llamaParameters(vocab: number, d: number, layers: number, ffn: number): number {
  return 2 * vocab * d + layers * (4 * d * d + 3 * d * ffn + 2 * d) + d;
}

describe("model presets", () => {
  it("count the parameters their public configs imply", () => {
    expect(modelPresetRegistry.get("gpt-neo-125m").parameters).toBe(gptNeoParameters(50257, 768, 12, 2048));
    expect(modelPresetRegistry.get("gpt-neo-2.7b").parameters).toBe(gptNeoParameters(50257, 2560, 32, 2048));
    expect(modelPresetRegistry.get("llama-2-7b").parameters).toBe(llamaParameters(32000, 4096, 32, 11008));
    // ResNet-18 for CIFAR = ImageNet's minus the 7×7 stem and 1000-way head, plus a 3×3 stem and 10-way head.
    const cifar = 11_689_512 - 7 * 7 * 3 * 64 + 3 * 3 * 3 * 64 - (512 * 1000 + 1000) + (512 * 10 + 10);
    expect(modelPresetRegistry.get("resnet-18-cifar").parameters).toBe(cifar);
  });

  it("cost 6·params·sequence FLOPs per sample for transformers, 3·2·multiply-adds for ResNets", () => {
    const neo = new PresetProblem("gpt-neo-125m", 8);
    expect(neo.flopsPerSample).toBe(6 * 125_198_592 * 1024);
    expect(neo.batchSize).toBe(24);
    expect(neo.bytesPerValue).toBe(2);
    expect(new PresetProblem("gpt-neo-125m", 8, { sequenceLength: 512, batchSize: 8 }).flopsPerSample).toBe(
      6 * 125_198_592 * 512,
    );
    expect(new PresetProblem("resnet-50", 8).flopsPerSample).toBeCloseTo(6 * 4.1e9, -3);
    expect(new PresetProblem("resnet-18", 8).flopsPerSample).toBeCloseTo(6 * 1.8e9, -3);
    expect(new PresetProblem("resnet-18", 8).sequenceLength).toBeUndefined();
  });

  it("are shape-only: no numbers, just sizes", () => {
    const kernels = new ShapeKernels();
    for (const model of modelPresetRegistry.kinds()) {
      const p: Problem = new PresetProblem(model, 4);
      expect(p.numeric).toBe(false);
      expect(p.workers).toBe(4);
      expect(p.mu).toBeUndefined();
      const x = p.initialParameters(kernels);
      expect(x.length).toBe(p.dimension);
      expect(p.gradient(0, x, x, undefined as never)).toBeNaN();
      expect(p.loss(x)).toBeNaN();
      expect(p.flopsPerSample).toBeGreaterThan(0);
    }
  });
});

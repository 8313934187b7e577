import { expect, test } from '@playwright/test';

/**
 * The fused kernels (src/engine/gpu/: GLSL on WebGL, WGSL on WebGPU) compute what tfjs's stock
 * ops compute. For each model family, on the real WebGL and WebGPU backends (SwiftShader here),
 * the same seed is trained with the fused kernels and with the stock ops (setFusedKernels in
 * src/engine/gpu/run.ts): the loss curves agree, and a forward pass on the same weights gives
 * the same logits and attention maps. The kernels' gradients are what make the later losses
 * agree: a wrong gradient parts the curves within a few steps. Float32 summation order is all
 * that differs, hence the tolerances. WebGPU reports a bad shader or binding as a device error,
 * not an exception: the job collects those, and there must be none.
 */
const MODELS = {
  'tagger, post-norm (the bench reference, smaller)': {
    task: { task: 'reversal', symbols: 8, minLength: 4, maxLength: 6 },
    model: { kind: 'tagger', dModel: 16, heads: 2, ffn: 32, layers: 1, norm: 'post' },
    train: { batchSize: 16, learningRate: 1e-2, warmup: 1 },
    seed: 3,
  },
  'encoder-decoder, pre-norm (cross-attention, causal mask)': {
    task: { task: 'reversal', symbols: 6, minLength: 3, maxLength: 5 },
    model: { kind: 'seq2seq', dModel: 16, heads: 2, ffn: 32, layers: 1, norm: 'pre' },
    train: { batchSize: 16, learningRate: 1e-2, warmup: 1 },
    seed: 7,
  },
  // Post-norm with an even source (6) and an odd target (7): on WebGL the encoder runs packed
  // (layer norms, fork, attention) and hands a packed memory to the plain decoder's
  // cross-attention, whose gradient for it comes back packed.
  'encoder-decoder, post-norm (packed encoder, plain decoder)': {
    task: { task: 'reversal', symbols: 6, minLength: 4, maxLength: 6 },
    model: { kind: 'seq2seq', dModel: 16, heads: 2, ffn: 32, layers: 1, norm: 'post' },
    train: { batchSize: 16, learningRate: 1e-2, warmup: 1 },
    seed: 13,
  },
  'classifier, 2 layers, sinusoidal positions': {
    task: { task: 'classify', locale: 'en' },
    model: { kind: 'classifier', dModel: 16, heads: 4, ffn: 32, layers: 2, positional: 'sinusoidal' },
    train: { batchSize: 16, learningRate: 1e-2, warmup: 1 },
    seed: 5,
  },
  // Odd everywhere: 25 rows (5 × 5), an FFN of width 33 (odd input and output widths) and an
  // odd vocabulary, so WebGL's dense layers pad every matmul to even sizes and crop it back.
  'tagger, odd sizes (rows, widths, vocabulary)': {
    task: { task: 'reversal', symbols: 7, minLength: 5, maxLength: 5 },
    model: { kind: 'tagger', dModel: 18, heads: 2, ffn: 33, layers: 1, norm: 'post' },
    train: { batchSize: 5, learningRate: 1e-2, warmup: 1 },
    seed: 11,
  },
  'additive attention GRU (dates)': {
    task: { task: 'dates', locale: 'pt-BR', tokenizer: 'word' },
    model: { kind: 'additive' },
    train: { batchSize: 8, learningRate: 5e-3 },
    seed: 2,
  },
} as const;

interface Compare {
  gpuErrors: string[];
  backend: string;
  fusedLosses: number[];
  stockLosses: number[];
  logitsDiff: number;
  attentionDiff: number;
  attentionMaps: number;
  programs: { fused: number; stock: number };
}

test.describe.configure({ mode: 'serial' });

// Software WebGPU runs ~0.2-1 s a step here: fewer steps there.
const STEPS = { webgl: 8, webgpu: 5 } as const;

for (const backend of ['webgl', 'webgpu'] as const) {
  for (const [name, options] of Object.entries(MODELS)) {
    test(`${backend} fused kernels = stock ops: ${name}`, async ({ page }) => {
      await page.goto('/bench.html');
      const r = (await page.evaluate(
        ([b, o, steps]) =>
          (window as unknown as { benchJob(b: string, j: unknown): Promise<unknown> }).benchJob(b, { job: 'compare', options: o, steps }),
        [backend, options, STEPS[backend]] as const,
      )) as Compare;
      console.log(backend, name, JSON.stringify(r));
      expect(r.backend).toBe(backend);
      expect(r.gpuErrors).toEqual([]);
      // First loss: same weights, same batch.
      expect(Math.abs(r.fusedLosses[0]! - r.stockLosses[0]!)).toBeLessThan(1e-4);
      // After the Adam updates through the fused gradients.
      for (let i = 1; i < r.fusedLosses.length; i++) {
        expect(Math.abs(r.fusedLosses[i]! - r.stockLosses[i]!) / r.stockLosses[i]!).toBeLessThan(1e-3);
      }
      expect(r.fusedLosses.at(-1)!).toBeLessThan(r.fusedLosses[0]!);
      expect(r.logitsDiff).toBeLessThan(1e-3);
      expect(r.attentionMaps).toBeGreaterThan(0);
      expect(r.attentionDiff).toBeLessThan(1e-4);
      // The fused path was taken: a step runs fewer programs.
      expect(r.programs.fused).toBeLessThan(r.programs.stock);
    });
  }
}

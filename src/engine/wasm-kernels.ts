/**
 * Faster paths for two tfjs-backend-wasm kernels that these tiny models call hundreds of times a
 * step (measured in `npm run bench` and `npm run bench:figures`; figures in the commit that added this):
 *
 * - BatchMatMul with a transposed operand. The backend hands XNNPACK only the untransposed left
 *   operand; `transposeA` (every weight gradient, xᵀ·dy) takes a plain triple loop instead.
 *   Transposing the operand first with the backend's own Transpose kernel and multiplying the
 *   plain way costs one copy and runs the fast kernel.
 * - Slice of short rows. The backend copies a strided slice row by row with a typed-array view
 *   per row (`subarray` + `set`); for rows of a few numbers (one time step of a sequence, one head)
 *   allocating the views costs more than the copy. A plain loop copies them instead.
 *
 * Both return exactly what the stock kernels return (the engine's parity tests compare them).
 */
import * as tf from '@tensorflow/tfjs-core';

type KernelArgs = { inputs: Record<string, tf.TensorInfo>; backend: WasmBackend; attrs: Record<string, unknown> };
interface WasmBackend {
  readSync(dataId: object): Float32Array | Int32Array | Uint8Array;
  makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
  typedArrayFromHeap(t: tf.TensorInfo): Float32Array | Int32Array | Uint8Array;
  disposeData(dataId: object): boolean;
}
type KernelFunc = (args: KernelArgs) => tf.TensorInfo;

let installed = false;

/** Re-register the two kernels on the wasm backend (once; after the backend module has loaded). */
export function fasterWasmKernels(): void {
  if (installed) return;
  const matmul = tf.getKernel('BatchMatMul', 'wasm');
  const transpose = tf.getKernel('Transpose', 'wasm');
  const slice = tf.getKernel('Slice', 'wasm');
  if (!matmul || !transpose || !slice) return;
  installed = true;
  const stockMatMul = matmul.kernelFunc as unknown as KernelFunc;
  const stockTranspose = transpose.kernelFunc as unknown as KernelFunc;
  const stockSlice = slice.kernelFunc as unknown as KernelFunc;

  const swapLast = (x: tf.TensorInfo, backend: WasmBackend) => {
    const perm = x.shape.map((_, i) => i);
    const r = perm.length;
    [perm[r - 2], perm[r - 1]] = [perm[r - 1]!, perm[r - 2]!];
    return stockTranspose({ inputs: { x }, backend, attrs: { perm } });
  };
  const batchMatMul: KernelFunc = ({ inputs, backend, attrs }) => {
    const { a, b } = inputs as { a: tf.TensorInfo; b: tf.TensorInfo };
    if (!attrs.transposeA) return stockMatMul({ inputs, backend, attrs });
    const aT = swapLast(a, backend);
    try {
      return stockMatMul({ inputs: { a: aT, b }, backend, attrs: { ...attrs, transposeA: false } });
    } finally {
      backend.disposeData(aT.dataId);
    }
  };

  const fastSlice: KernelFunc = (args) => {
    const { inputs: { x }, backend, attrs } = args as KernelArgs & { inputs: { x: tf.TensorInfo } };
    const rank = x.shape.length;
    // Only the plain case: numbers, rank 2-4, short rows that are not contiguous.
    if (x.dtype === 'string' || rank < 2 || rank > 4) return stockSlice(args);
    const [begin, size] = tf.slice_util.parseSliceParams(x as tf.Tensor, attrs.begin as number[], attrs.size as number[]);
    const row = size[rank - 1]!;
    if (row > 16 || row === x.shape[rank - 1]) return stockSlice(args);
    const out = backend.makeOutput(size, x.dtype);
    const src = backend.readSync(x.dataId);
    const dst = backend.typedArrayFromHeap(out);
    // Pad to rank 4: [d0, d1, d2, d3] with strides s0, s1, s2 (s3 = 1).
    const shape = [1, 1, 1, 1].slice(0, 4 - rank).concat(x.shape);
    const b4 = [0, 0, 0, 0].slice(0, 4 - rank).concat(begin);
    const n4 = [1, 1, 1, 1].slice(0, 4 - rank).concat(size);
    const s2 = shape[3]!;
    const s1 = shape[2]! * s2;
    const s0 = shape[1]! * s1;
    let o = 0;
    for (let i = b4[0]!; i < b4[0]! + n4[0]!; i++) {
      for (let j = b4[1]!; j < b4[1]! + n4[1]!; j++) {
        for (let k = b4[2]!; k < b4[2]! + n4[2]!; k++) {
          const from = i * s0 + j * s1 + k * s2 + b4[3]!;
          for (let l = 0; l < row; l++) dst[o++] = src[from + l]!;
        }
      }
    }
    return out;
  };

  tf.unregisterKernel('BatchMatMul', 'wasm');
  tf.registerKernel({ ...matmul, kernelFunc: batchMatMul as never });
  tf.unregisterKernel('Slice', 'wasm');
  tf.registerKernel({ ...slice, kernelFunc: fastSlice as never });
}

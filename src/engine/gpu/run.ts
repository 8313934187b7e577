import * as tf from '@tensorflow/tfjs-core';

/**
 * Running our own GPU programs through tfjs's WebGL and WebGPU backends.
 * WebGL: a fragment shader computes one output element per pixel; tfjs generates the `getX(...)`
 * samplers for each input (named in `variableNames`, indexed in the input's own shape),
 * `getOutputCoords()` and `setOutput()`. Programs read unpacked textures (one float per texel),
 * the layout the engine runs WebGL in (see DEFAULT_FLAGS in ../backend.ts), unless they say so.
 * WebGPU: a compute shader with one invocation per output element, same getters, flat buffers.
 *
 * Why: each kernel is a draw call or a dispatch with a fixed cost (measured here: ~0.1 ms a draw
 * on SwiftShader WebGL, ~1.7 ms a dispatch on SwiftShader WebGPU, more than the arithmetic of
 * most of our ops), and on WebGL tfjs's matmul packs its inputs and unpacks its output around
 * every call. A fused kernel does in one program what the stock ops do in 5-20.
 */
/**
 * A kernel computing one output element per invocation, written once per shading language.
 * Both bodies are the statements for one element: `c` holds its coordinates (int for rank 1,
 * else ivecN / vecN<i32>), `setOutput(x)` writes it (a vec4 block on WebGL when packedOutput),
 * and tfjs supplies the `getX(...)` getters for every input. run() adds main() around them.
 */
export interface Program {
  variableNames: string[];
  outputShape: number[];
  /** WebGL body (GLSL). */
  glsl: string;
  /** WebGPU body (WGSL); custom uniforms are `uniforms.<name>` there. */
  wgsl: string;
  /** Functions the bodies call, placed before main(). */
  glslHelpers?: string;
  wgslHelpers?: string;
  /** WebGL only: the output is written packed, one vec4 per 2×2 block (r,c), (r,c+1), (r+1,c), (r+1,c+1); `c` is the block's first element. */
  packedOutput?: boolean;
  /** WebGL only: the inputs are read packed, `getX(r, c)` giving the vec4 of the 2×2 block holding (r, c). */
  packedInputs?: boolean;
  /** Float uniforms set per run (values passed to `run`), so a changing number needs no recompile. */
  customUniforms?: Array<{ name: string; type: 'float' }>;
}

interface WebGLProgram {
  variableNames: string[];
  outputShape: number[];
  userCode: string;
  packedOutput?: boolean;
  packedInputs?: boolean;
  customUniforms?: Program['customUniforms'];
}

interface WebGLBackend {
  runWebGLProgram(p: WebGLProgram, inputs: tf.TensorInfo[], dtype: tf.DataType, uniforms?: number[][]): tf.TensorInfo;
}

interface WebGPUProgram {
  variableNames: string[];
  outputShape: number[];
  shaderKey: string;
  size: boolean;
  workgroupSize: [number, number, number];
  dispatchLayout: { x: number[] };
  dispatch: [number, number, number];
  uniforms?: string;
  getUserCode(): string;
}

interface WebGPUBackend {
  runWebGPUProgram(p: WebGPUProgram, inputs: tf.TensorInfo[], dtype: tf.DataType, uniforms?: Array<{ type: string; data: number[] }>): tf.TensorInfo;
}

const WORKGROUP = 64;
const GLSL_COORDS = ['', 'int', 'ivec2', 'ivec3', 'ivec4'];

function webglProgram(p: Program): WebGLProgram {
  return {
    variableNames: p.variableNames,
    outputShape: p.outputShape,
    userCode: `${p.glslHelpers ?? ''}
      void main() {
        ${GLSL_COORDS[p.outputShape.length]} c = getOutputCoords();
        ${p.glsl}
      }`,
    ...(p.packedOutput ? { packedOutput: true } : {}),
    ...(p.packedInputs ? { packedInputs: true } : {}),
    ...(p.customUniforms ? { customUniforms: p.customUniforms } : {}),
  };
}

/** The WebGPU form of a program: one invocation per output element, flat dispatch. */
function webgpuProgram(p: Program, variableNames: string[]): WebGPUProgram {
  const size = p.outputShape.reduce((a, b) => a * b, 1);
  const code = `
    var<private> outIndex : i32;
    fn setOutput(value : f32) { setOutputAtIndex(outIndex, value); }
    ${p.wgslHelpers ?? ''}
    fn main(index : i32) {
      if (index >= uniforms.size) { return; }
      outIndex = index;
      let c = getCoordsFromIndex(index);
      ${p.wgsl}
    }`;
  const uniforms = p.customUniforms?.map((u) => `${u.name} : f32,`).join(' ');
  return {
    variableNames,
    outputShape: p.outputShape,
    // tfjs caches compiled shaders by this key plus ranks and dtypes: the code (with its baked
    // sizes) must be part of it.
    shaderKey: `engine:${code}`,
    size: true,
    workgroupSize: [WORKGROUP, 1, 1],
    dispatchLayout: { x: p.outputShape.map((_, i) => i) },
    dispatch: [Math.ceil(size / WORKGROUP), 1, 1],
    ...(uniforms ? { uniforms } : {}),
    getUserCode: () => code,
  };
}

let enabled = true;

/** Turn the fused kernels off (tests compare both paths on the same backend). */
export function setFusedKernels(on: boolean): void {
  enabled = on;
}

/** Whether the fused kernels run now: on the WebGL and WebGPU backends, unless turned off. */
export function fusedKernels(): boolean {
  return enabled && (tf.getBackend() === 'webgl' || tf.getBackend() === 'webgpu');
}

/** Whether tensors live in WebGL textures (packing matters) rather than WebGPU buffers. */
export const onWebGL = (): boolean => tf.getBackend() === 'webgl';

/** Run `p` on `inputs` (in `variableNames` order); the result is a float32 tensor of p.outputShape. */
export function run(p: Program, inputs: tf.Tensor[], uniforms?: number[]): tf.Tensor {
  if (tf.getBackend() === 'webgpu') {
    // WebGPU derives the bind group layout from the shader: an input the code never reads has
    // no binding, and binding it anyway is an error. Pass only the inputs the code reads.
    const code = `${p.wgslHelpers ?? ''}${p.wgsl}`;
    const used = p.variableNames.map((n) => code.includes(`get${n.charAt(0).toUpperCase()}${n.slice(1)}(`));
    const program = webgpuProgram(p, p.variableNames.filter((_, i) => used[i]));
    const backend = tf.backend() as unknown as WebGPUBackend;
    const info = backend.runWebGPUProgram(program, inputs.filter((_, i) => used[i]), 'float32', uniforms?.map((u) => ({ type: 'float32', data: [u] })));
    return tf.engine().makeTensorFromTensorInfo(info);
  }
  const backend = tf.backend() as unknown as WebGLBackend;
  const info = backend.runWebGLProgram(webglProgram(p), inputs, 'float32', uniforms?.map((u) => [u]));
  return tf.engine().makeTensorFromTensorInfo(info);
}

/** A GLSL int literal. */
export const int = (n: number): string => String(Math.trunc(n));

interface TexData {
  isPacked?: boolean;
}

/** Whether `t` lives in a packed texture (WebGL). */
export function isPacked(t: tf.Tensor): boolean {
  if (!onWebGL()) return false;
  const backend = tf.backend() as unknown as { texData: { get(id: object): TexData } };
  return !!backend.texData.get(t.dataId).isPacked;
}

/** `t` in a packed texture (what tfjs's matmul reads): itself, or a packed copy (one draw). WebGL only. */
export function packed(t: tf.Tensor): tf.Tensor {
  if (!onWebGL() || isPacked(t)) return t; // WebGPU: buffers, no layouts
  const backend = tf.backend() as unknown as { packTensor(t: tf.TensorInfo): tf.TensorInfo };
  return tf.engine().makeTensorFromTensorInfo(backend.packTensor(t));
}

/** `t` in an unpacked texture: itself, or an unpacked copy (one draw) if tfjs stored it packed. */
export function unpacked(t: tf.Tensor): tf.Tensor {
  if (!onWebGL() || !isPacked(t)) return t;
  const backend = tf.backend() as unknown as { unpackTensor(t: tf.TensorInfo): tf.TensorInfo };
  return tf.engine().makeTensorFromTensorInfo(backend.unpackTensor(t));
}

/** A GLSL float literal (GLSL does not turn `1` into `1.0`). */
export const flt = (x: number): string => {
  const s = String(x);
  return /[.eE]/.test(s) ? s : `${s}.0`;
};

/**
 * GLSL for one step of a 2×2 block product (packed WebGL textures: a block holds rows r, r+1 by
 * columns c, c+1, .xy row r, .zw row r+1), summing over two values of the shared axis:
 *   ab   A·B   (rows of A by columns of B)
 *   abT  A·Bᵀ  (rows of A by rows of B)
 *   aTb  Aᵀ·B  (columns of A by columns of B)
 */
export const BLOCK_HELPERS = `
  vec4 ab(vec4 a, vec4 b) { return vec4(dot(a.xy, b.xz), dot(a.xy, b.yw), dot(a.zw, b.xz), dot(a.zw, b.yw)); }
  vec4 abT(vec4 a, vec4 b) { return vec4(dot(a.xy, b.xy), dot(a.xy, b.zw), dot(a.zw, b.xy), dot(a.zw, b.zw)); }
  vec4 aTb(vec4 a, vec4 b) { return vec4(dot(a.xz, b.xz), dot(a.xz, b.yw), dot(a.yw, b.xz), dot(a.yw, b.yw)); }`;

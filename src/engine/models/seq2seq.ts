import * as tf from '@tensorflow/tfjs-core';
import { causalMask, paddingMask } from '../attention';
import { declareDecoderBlock, decoderBlock } from '../blocks';
import type { TransformerConfig } from '../config';
import { declareDense, declareLayerNorm, dense, layerNorm, sequenceCrossEntropy, type EmbeddingMode } from '../layers';
import { ParamLayout, type Params } from '../params';
import { declarePositional, embedPositioned } from '../positional';
import { declareEncoder, encode } from './encoder';
import type { AttentionMap, Model, TensorBatch } from './types';

/** The transformer encoder-decoder of "Attention Is All You Need", small. */
export function buildSeq2Seq(c: TransformerConfig, srcVocab: number, tgtVocab: number, mode: EmbeddingMode): Model {
  const L = new ParamLayout();
  declareEncoder(L, 'enc', c, srcVocab);
  L.add('dec.tok', [tgtVocab, c.dModel], 'normal');
  declarePositional(L, 'dec.pos', c.positional, c.maxLen, c.dModel);
  for (let i = 0; i < c.decoderLayers; i++) declareDecoderBlock(L, `dec.${i}`, c);
  if (c.norm === 'pre') declareLayerNorm(L, 'dec.lnf', c.dModel);
  declareDense(L, 'out', c.dModel, tgtVocab);

  const forward = (P: Params, b: TensorBatch) => {
    const attention: AttentionMap = {};
    const { x: memory, mask: memoryMask } = encode(P, 'enc', c, b.src, mode, attention); // [B, Ts, d]
    const tgt = b.tgtIn!; // [B, Tt]
    const Tt = tgt.shape[1];
    // Causal and padding masks together; BOS is never padding, so no row is fully masked.
    const selfMask = tf.add(causalMask(Tt), paddingMask(tgt)); // [B, 1, Tt, Tt]
    let y = embedPositioned(P, 'dec.tok', 'dec.pos', c.positional, c.maxLen, tgt, mode); // [B, Tt, d]
    for (let i = 0; i < c.decoderLayers; i++) {
      const out = decoderBlock(P, `dec.${i}`, c, y, memory, selfMask, memoryMask);
      y = out.y; // [B, Tt, d]
      attention[`dec${i}.self`] = out.self; // [B, H, Tt, Tt]
      attention[`dec${i}.cross`] = out.cross; // [B, H, Tt, Ts]
    }
    if (c.norm === 'pre') y = layerNorm(P, 'dec.lnf', y) as tf.Tensor3D; // [B, Tt, d]
    return { logits: dense(P, 'out', y), attention }; // [B, Tt, V]
  };

  return {
    kind: 'seq2seq', config: c, layout: L, srcVocab, outSize: tgtVocab, embedding: mode, forward,
    loss(P, b, withAccuracy = true) {
      const { logits } = forward(P, b); // [B, Tt, V]
      return { ...sequenceCrossEntropy(logits, b.tgtOut!, withAccuracy), logits };
    },
  };
}

import { topicSets, type LabelledSentence } from '../data';
import { EngineError } from '../errors';
import { Rng } from '../random';
import type { Example, RawBatch, Task } from './types';
import { padInto, Vocab, wordTokens } from './vocab';

/**
 * Sentence classification: the caller passes labelled sentences in any locale (or gets the
 * shipped en / pt-BR topic sets). A seeded, per-class split keeps `testFraction` for evaluation.
 */
export interface ClassifySpec {
  task: 'classify';
  locale: string;
  examples?: LabelledSentence[];
  testFraction?: number;
}

export function buildClassify(spec: ClassifySpec, seed: number): Task {
  const data = spec.examples ?? topicSets[spec.locale];
  if (!data?.length) throw new EngineError('empty-dataset', { task: 'classify' });
  const testFraction = spec.testFraction ?? 0.25;
  const tokenize = (text: string) => wordTokens(text, spec.locale);
  const classes = [...new Set(data.map((d) => d.label))];
  const all: Example[] = data.map((d) => ({ text: d.text, tokens: tokenize(d.text), target: [d.label] }));
  const rng = new Rng(seed ^ 0xc1a55);
  const train: Example[] = [];
  const heldOut: Example[] = [];
  for (const c of classes) {
    const ofClass = rng.shuffle(all.filter((e) => e.target[0] === c));
    const nTest = ofClass.length > 1 ? Math.max(1, Math.round(ofClass.length * testFraction)) : 0;
    heldOut.push(...ofClass.slice(0, nTest));
    train.push(...ofClass.slice(nTest));
  }
  // Only training words enter the vocabulary: unseen test words become <unk>, as in real use.
  const src = new Vocab(train.flatMap((e) => e.tokens), 'classify');
  const Ts = Math.max(...all.map((e) => e.tokens.length));
  return {
    name: 'classify',
    kinds: ['classifier'],
    src,
    classes,
    Ts,
    Tt: 0,
    tokenize,
    batch(rng, B): RawBatch {
      const b: RawBatch = { B, Ts, src: new Int32Array(B * Ts), labels: new Int32Array(B) }; // [B, Ts], [B]
      for (let i = 0; i < B; i++) {
        const e = rng.pick(train);
        padInto(b.src, i, Ts, src.ids(e.tokens));
        b.labels![i] = classes.indexOf(e.target[0]!);
      }
      return b;
    },
    heldOut,
    probe: heldOut[0] ?? train[0]!,
  };
}

import type { ModelHandle } from '../../../worker/client';
import type { DecodeResult, PredictResult } from '../../../worker/protocol';
import type { IslandContext } from './context';

type Kind = 'decode' | 'predict';
type ResultOf<K extends Kind> = K extends 'decode' ? DecodeResult : PredictResult;

export interface Follow<K extends Kind> {
  ctx: IslandContext;
  /** The snapshot kind the model sends: `decode` (encoder-decoders) or `predict`. */
  kind: K;
  /** The reader's sentence. */
  input: HTMLInputElement;
  /** The score line, and its text for an exact match (0-1) at a step. */
  score: HTMLElement;
  scoreText(exactMatch: number, step: number): string;
  draw(r: ResultOf<K>, step: number): void;
  /** Ask the model for the reader's sentence again, at `step` (a latestQuery: none is lost). */
  refresh(step: number): Promise<void>;
  /** A snapshot arrived for `step`. */
  onStep(step: number): void;
}

/**
 * What the alignment and self-attention figures do with a model's stream: a snapshot of the
 * sentence in the reader's box is drawn as it arrives, and any other snapshot (the probe
 * example) makes the figure ask for the reader's sentence instead; each evaluation updates the
 * score line with its exact match, and the island's `data-exact-match`.
 */
export function followModel<K extends Kind>(m: ModelHandle, f: Follow<K>): Array<() => void> {
  const { ctx } = f;
  return [
    m.on('snapshot', (s) => {
      f.onStep(s.step);
      if (s.kind === f.kind && s.result.input === f.input.value.trim()) f.draw(s.result as ResultOf<K>, s.step);
      else void f.refresh(s.step);
    }),
    m.on('evaluation', (e) => {
      ctx.root.dataset.exactMatch = String(e.evaluation.exactMatch);
      f.score.textContent = f.scoreText(e.evaluation.exactMatch, e.step);
    }),
  ];
}

/** What an island gives the Trainer (its `follow` option) for followModel: all but the context. */
export type FollowSpec = Omit<Follow<'decode'>, 'ctx'> | Omit<Follow<'predict'>, 'ctx'>;

import { EngineError } from '../errors';
import { buildClassify, type ClassifySpec } from './classify';
import { buildDates, type DatesSpec } from './dates';
import { buildMlm, type MlmSpec } from './mlm';
import { buildPronoun, type PronounSpec } from './pronoun';
import { buildReversal, type ReversalSpec } from './reversal';
import type { Task } from './types';

export type TaskSpec = DatesSpec | ReversalSpec | MlmSpec | ClassifySpec | PronounSpec;
export type { DatesSpec, ReversalSpec, MlmSpec, ClassifySpec, PronounSpec };
export type { Task, Example, RawBatch, TaskName } from './types';

/** Build a toy task from its spec; all data comes from `seed`, nothing is downloaded. */
export function buildTask(spec: TaskSpec, seed: number): Task {
  switch (spec?.task) {
    case 'dates': return buildDates(spec, seed);
    case 'reversal': return buildReversal(spec, seed);
    case 'mlm': return buildMlm(spec, seed);
    case 'classify': return buildClassify(spec, seed);
    case 'pronoun': return buildPronoun(spec, seed);
    default: throw new EngineError('unknown-task', { task: String((spec as { task?: unknown })?.task) });
  }
}

/**
 * Quiz scoring and saved progress, as pure functions: the <quiz-form> element reads the DOM and
 * storage, this module decides what the answers mean. No DOM, no storage access here.
 */
import { storageKey } from './storage';

/** Bump when the saved shape changes; the version is in both the key and the value. */
export const PROGRESS_VERSION = 1;

/** What scoring needs to know about one question. */
export interface QuestionKey {
  /** The question's id, shared by every locale. */
  id: string;
  /** How many options it has. */
  options: number;
  /** Index of the correct option. */
  correct: number;
}

/** Question id → index of the option the learner checked. Only checked questions appear. */
export type Answers = Readonly<Record<string, number>>;

/** What localStorage holds under `progressKey(…)`. */
export interface SavedProgress {
  v: typeof PROGRESS_VERSION;
  answers: Record<string, number>;
}

export interface Tally {
  correct: number;
  answered: number;
  total: number;
  /** Every question has been answered. */
  done: boolean;
}

/** `atencao-transformers:quiz:v1:<locale tag>:<quiz id>`, e.g. `…:quiz:v1:pt-BR:pre`. */
export function progressKey(quizId: string, tag: string): string {
  return storageKey('quiz', PROGRESS_VERSION, tag, quizId);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The saved answers that still fit the quiz as built. Anything else — another version, another
 * shape, a question that no longer exists, an option index out of range — is dropped silently:
 * a learner with stale data just sees those questions unanswered.
 */
export function parseProgress(raw: unknown, questions: readonly QuestionKey[]): Answers {
  if (!isRecord(raw) || raw.v !== PROGRESS_VERSION || !isRecord(raw.answers)) return {};
  const saved = raw.answers;
  const out: Record<string, number> = {};
  for (const q of questions) {
    if (!Object.hasOwn(saved, q.id)) continue;
    const option = saved[q.id];
    if (Number.isInteger(option) && (option as number) >= 0 && (option as number) < q.options) {
      out[q.id] = option as number;
    }
  }
  return out;
}

export function serializeProgress(answers: Answers): SavedProgress {
  return { v: PROGRESS_VERSION, answers: { ...answers } };
}

/** A new Answers with `questionId` answered; the first answer counts, so re-answering is ignored. */
export function withAnswer(answers: Answers, questionId: string, option: number): Answers {
  if (Object.hasOwn(answers, questionId)) return answers;
  return { ...answers, [questionId]: option };
}

export function isCorrect(question: QuestionKey, option: number): boolean {
  return option === question.correct;
}

export function tally(answers: Answers, questions: readonly QuestionKey[]): Tally {
  let correct = 0;
  let answered = 0;
  for (const q of questions) {
    if (!Object.hasOwn(answers, q.id)) continue;
    answered++;
    if (isCorrect(q, answers[q.id]!)) correct++;
  }
  return { correct, answered, total: questions.length, done: answered === questions.length };
}

/** `{score}`-style placeholders, as src/lib/i18n.ts fills them at build time. */
export function fill(template: string, params: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) =>
    Object.hasOwn(params, name) ? String(params[name]) : whole,
  );
}

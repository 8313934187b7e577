/**
 * <quiz-form>: upgrades the static quiz from Quiz.astro. Adds "Check answer" per question, marks
 * the learner's option and the right one with an icon *and* text, shows every explanation,
 * announces results politely, keeps a score, and saves answers in localStorage so a reload keeps
 * them. Without JavaScript the static <details> reveal stays; with it, the reveal is hidden.
 *
 * Scoring and validation of saved data live in src/lib/quiz-progress.ts (unit-tested); this file
 * only reads and writes the DOM.
 */
import {
  fill,
  parseProgress,
  progressKey,
  serializeProgress,
  tally,
  withAnswer,
  type Answers,
  type QuestionKey,
} from '../../lib/quiz-progress';
import { safeStorage } from '../../lib/storage';

interface Question extends QuestionKey {
  /** 1-based, as the learner reads it. */
  number: number;
  root: HTMLElement;
  items: HTMLElement[];
  radios: HTMLInputElement[];
  feedback: HTMLElement;
  actions: HTMLElement;
}

function parseStrings(json: string | undefined): Record<string, string> {
  try {
    const parsed: unknown = JSON.parse(json ?? '{}');
    return typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, string>) : {};
  } catch {
    return {};
  }
}

export class QuizForm extends HTMLElement {
  #strings: Record<string, string> = {};
  #questions: Question[] = [];
  #answers: Answers = {};
  #store = safeStorage();
  #key = '';

  connectedCallback() {
    if (this.#key) return; // moved within the page: already upgraded
    this.#strings = parseStrings(this.dataset.strings);
    this.#key = progressKey(this.dataset.quizId ?? '', this.dataset.locale ?? '');
    this.#questions = [...this.querySelectorAll<HTMLElement>('[data-question]')].map((root, i) => {
      const items = [...root.querySelectorAll<HTMLElement>('[data-option]')];
      return {
        id: root.dataset.question!,
        number: i + 1,
        options: items.length,
        correct: items.findIndex((li) => li.hasAttribute('data-correct')),
        root,
        items,
        radios: items.map((li) => li.querySelector('input')!),
        feedback: root.querySelector<HTMLElement>('[data-feedback]')!,
        actions: root.querySelector<HTMLElement>('[data-actions]')!,
      };
    });

    for (const q of this.#questions) {
      q.root.querySelector<HTMLElement>('[data-reveal]')!.hidden = true;
      q.actions.hidden = false;
    }
    this.#part('[data-howto]').textContent = this.#t('quiz.howto');
    this.#part('[data-no-storage]').hidden = this.#store.available;
    this.#part('[data-summary]').hidden = false;

    // Whatever was saved is validated against this quiz; anything unusable reads as unanswered.
    this.#answers = parseProgress(this.#store.getJSON(this.#key), this.#questions);
    for (const q of this.#questions) {
      if (Object.hasOwn(this.#answers, q.id)) this.#show(q, this.#answers[q.id]!);
    }
    this.#updateScore();
    this.addEventListener('click', this);
  }

  handleEvent(event: Event) {
    const target = event.target as Element;
    const check = target.closest('[data-check]');
    if (check) {
      const q = this.#questions.find((q) => q.root.contains(check));
      if (q) this.#check(q);
    } else if (target.closest('[data-retry]')) {
      this.#reset();
    }
  }

  #check(q: Question) {
    const chosen = q.radios.findIndex((r) => r.checked);
    if (chosen < 0) {
      q.feedback.textContent = this.#t('quiz.chooseFirst');
      q.feedback.hidden = false;
      this.#announce(this.#t('quiz.chooseFirst'));
      return;
    }
    this.#answers = withAnswer(this.#answers, q.id, chosen);
    this.#store.setJSON(this.#key, serializeProgress(this.#answers));
    this.#show(q, chosen);
    const { correct, total, done } = this.#updateScore();
    // The button is gone now; keep keyboard focus on this question's result, not on <body>.
    q.feedback.focus();
    const score = fill(this.#t('quiz.score'), { correct, total });
    const result = chosen === q.correct ? 'quiz.announceRight' : 'quiz.announceWrong';
    const finished = done ? ` ${fill(this.#t('quiz.done'), { correct, total })}` : '';
    this.#announce(fill(this.#t(result), { number: q.number, score }) + finished);
  }

  /** Lock the question and show what the chosen option means. No focus moves, no announcement. */
  #show(q: Question, chosen: number) {
    const right = chosen === q.correct;
    q.items.forEach((li, i) => {
      const radio = q.radios[i]!;
      radio.checked = i === chosen;
      radio.disabled = true;
      const mark = li.querySelector<HTMLElement>('[data-mark]')!;
      const isAnswer = i === q.correct;
      const isChosen = i === chosen;
      li.classList.toggle('is-right', isAnswer);
      li.classList.toggle('is-wrong', isChosen && !right);
      mark.hidden = !isAnswer && !isChosen;
      mark.querySelector('[data-icon]')!.textContent = isAnswer ? '✓' : '✗';
      mark.querySelector('[data-mark-text]')!.textContent = this.#t(
        isChosen ? (right ? 'quiz.markChosenRight' : 'quiz.markChosenWrong') : 'quiz.markAnswer',
      );
      li.querySelector<HTMLElement>('[data-expl]')!.hidden = false;
    });
    const answer = q.items[q.correct]?.querySelector('.quiz-text')?.textContent?.trim() ?? '';
    q.feedback.textContent = right
      ? this.#t('quiz.feedbackRight')
      : fill(this.#t('quiz.feedbackWrong'), { answer });
    q.feedback.hidden = false;
    q.actions.hidden = true;
  }

  #reset() {
    this.#answers = {};
    this.#store.remove(this.#key);
    for (const q of this.#questions) {
      q.items.forEach((li, i) => {
        const radio = q.radios[i]!;
        radio.checked = false;
        radio.disabled = false;
        li.classList.remove('is-right', 'is-wrong');
        li.querySelector<HTMLElement>('[data-mark]')!.hidden = true;
        li.querySelector<HTMLElement>('[data-expl]')!.hidden = true;
      });
      q.feedback.textContent = '';
      q.feedback.hidden = true;
      q.actions.hidden = false;
    }
    this.#updateScore();
    this.#questions[0]?.radios[0]?.focus();
    this.#announce(this.#t('quiz.cleared'));
  }

  #updateScore() {
    const t = tally(this.#answers, this.#questions);
    const { correct, answered, total } = t;
    this.#part('[data-score]').textContent = fill(this.#t('quiz.score'), { correct, total });
    this.#part('[data-answered]').textContent = `(${fill(this.#t('quiz.answered'), { answered, total })})`;
    return t;
  }

  #announce(message: string) {
    const live = this.#part('[data-live]');
    // A repeated identical message is not re-read by some screen readers; make it differ.
    live.textContent = live.textContent === message ? `${message}\u00a0` : message;
  }

  #part(selector: string): HTMLElement {
    return this.querySelector<HTMLElement>(selector)!;
  }

  #t(key: string): string {
    return this.#strings[key] ?? key;
  }
}

if (!customElements.get('quiz-form')) customElements.define('quiz-form', QuizForm);

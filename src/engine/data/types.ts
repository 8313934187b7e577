/** Input data the caller may pass for other locales; the shipped en and pt-BR sets use the same shapes. */

/** One sentence of the classification set. */
export interface LabelledSentence {
  text: string;
  label: string;
}

/**
 * Templates for pronoun resolution. `{agent}`, `{place}` and `{adj}` are filled in; the pronoun
 * refers to the agent when `adj` comes from `agentAdjectives`, to the place when from
 * `placeAdjectives`. Nouns should share grammatical gender/number, so only meaning decides.
 */
export interface PronounTemplates {
  locale: string;
  /** E.g. "The {agent} didn't cross the {place} because it was too {adj}." */
  templates: string[];
  /** The pronoun token as the word segmenter returns it, lower-cased ("it", "ele"). */
  pronoun: string;
  agents: string[];
  places: string[];
  agentAdjectives: string[];
  placeAdjectives: string[];
}

import type { PronounTemplates } from './types';

/** Pronoun-resolution templates written for this lesson (en, pt-BR). */
export const pronounsEn: PronounTemplates = {
  locale: 'en',
  templates: [
    "The {agent} didn't cross the {place} because it was too {adj}.",
    'The {agent} did not go over the {place} since it was too {adj}.',
    'The {agent} stopped before the {place} because it was so {adj}.',
  ],
  pronoun: 'it',
  agents: ['animal', 'dog', 'horse', 'cat', 'cow', 'goat', 'fox', 'donkey'],
  places: ['street', 'river', 'road', 'bridge', 'highway', 'field', 'avenue', 'track'],
  agentAdjectives: ['tired', 'scared', 'weak', 'sleepy', 'lazy', 'hungry'],
  placeAdjectives: ['wide', 'busy', 'long', 'dangerous', 'crowded', 'steep'],
};

/** Masculine nouns only, so "ele" could be either: meaning, not gender, decides. */
export const pronounsPtBR: PronounTemplates = {
  locale: 'pt-BR',
  templates: [
    'O {agent} não atravessou o {place} porque ele estava {adj} demais.',
    'O {agent} não cruzou o {place} pois ele estava muito {adj}.',
    'O {agent} parou antes do {place} porque ele estava {adj} demais.',
  ],
  pronoun: 'ele',
  agents: ['animal', 'cachorro', 'cavalo', 'gato', 'boi', 'bode', 'burro', 'lobo'],
  places: ['rio', 'caminho', 'viaduto', 'túnel', 'campo', 'trilho', 'córrego', 'canal'],
  agentAdjectives: ['cansado', 'assustado', 'fraco', 'sonolento', 'preguiçoso', 'faminto'],
  placeAdjectives: ['largo', 'movimentado', 'comprido', 'perigoso', 'cheio', 'íngreme'],
};

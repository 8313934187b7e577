/** The data sets shipped with the engine, by locale. Other locales pass their own (see ./types). */
import { pronounsEn, pronounsPtBR } from './pronouns';
import { topicsEn } from './topics.en';
import { topicsPtBR } from './topics.pt-BR';
import type { LabelledSentence, PronounTemplates } from './types';

export type { LabelledSentence, PronounTemplates } from './types';

export const topicSets: Record<string, LabelledSentence[]> = { en: topicsEn, 'pt-BR': topicsPtBR };
export const pronounSets: Record<string, PronounTemplates> = { en: pronounsEn, 'pt-BR': pronounsPtBR };

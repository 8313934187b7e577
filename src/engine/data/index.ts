/**
 * The data sets shipped with the engine, by locale: the en and pt-BR sets, read from the site's
 * content (content/<tag>/data/*.json is the single source). Other locales pass their own (see ./types).
 */
import pronounsEnJson from '../../../content/en/data/pronouns.json';
import topicsEnJson from '../../../content/en/data/topics.json';
import pronounsPtBRJson from '../../../content/pt-BR/data/pronouns.json';
import topicsPtBRJson from '../../../content/pt-BR/data/topics.json';
import type { LabelledSentence, PronounTemplates } from './types';

export type { LabelledSentence, PronounTemplates } from './types';

export const topicsEn: LabelledSentence[] = topicsEnJson;
export const topicsPtBR: LabelledSentence[] = topicsPtBRJson;
export const pronounsEn: PronounTemplates = pronounsEnJson;
export const pronounsPtBR: PronounTemplates = pronounsPtBRJson;

export const topicSets: Record<string, LabelledSentence[]> = { en: topicsEn, 'pt-BR': topicsPtBR };
export const pronounSets: Record<string, PronounTemplates> = { en: pronounsEn, 'pt-BR': pronounsPtBR };

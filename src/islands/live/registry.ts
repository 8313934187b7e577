/**
 * The one list of live figures: figure id (the `id` of <LiveFigure>, the `data-island` of its
 * element) → the folder of its island, `src/islands/live/<folder>/island.ts`, which is also the
 * group of its UI strings (`island.<folder>.*`). bootstrap.ts loads islands from it,
 * LiveFigure.astro checks ids and splits strings by it, and tests/unit/islands-messages.test.ts
 * checks that every island folder is listed here.
 */
export const LIVE_FIGURES = {
  alignment: 'alignment',
  'position-embedding': 'positional',
  'cross-attention': 'stepper',
  'self-attention': 'selfattn',
  classifier: 'classifier',
  'masked-words': 'mlm',
} as const;

export type LiveFigureId = keyof typeof LIVE_FIGURES;

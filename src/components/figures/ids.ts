/** The figures `<Figure id>` can draw, and the UI-string key stem of each (`fig.<stem>.caption`). */
export const FIGURE_IDS = [
  'encoder-decoder',
  'alignment',
  'position-embedding',
  'self-attention',
  'cross-attention',
] as const;

export type FigureId = (typeof FIGURE_IDS)[number];

/** `encoder-decoder` → `encoderDecoder`: UI keys are camelCase after the `fig.` prefix. */
export function figureKey(id: FigureId): string {
  return id.replace(/-(\w)/g, (_, c: string) => c.toUpperCase());
}

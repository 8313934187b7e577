/**
 * The components that content MDX may use, by name. Content is reviewed text, not code: it
 * imports nothing, and a name not on this list fails the build (src/build/remark-content.ts)
 * naming the file and line. The map from these names to components is src/components/mdx.ts.
 *
 * <EditorNote>…</EditorNote> wraps a short note, visibly marked as this edition's, that corrects
 * or sharpens the sentence before it: the inherited lesson text stays as it was.
 */
export const MDX_COMPONENTS = ['Figure', 'LiveFigure', 'ReviewLinks', 'EditorNote'] as const;

export type MdxComponentName = (typeof MDX_COMPONENTS)[number];

export function isMdxComponent(name: string): name is MdxComponentName {
  return (MDX_COMPONENTS as readonly string[]).includes(name);
}

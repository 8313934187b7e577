import type { MdxComponentName } from '../lib/mdx-components';
import MdxFigure from './mdx/MdxFigure.astro';
import MdxLiveFigure from './mdx/MdxLiveFigure.astro';
import MdxReviewLinks from './mdx/MdxReviewLinks.astro';
import MdxEditorNote from './mdx/MdxEditorNote.astro';

/** What content MDX may use, by name. `satisfies` keeps this map and MDX_COMPONENTS in step. */
export const mdxComponents = {
  Figure: MdxFigure,
  LiveFigure: MdxLiveFigure,
  ReviewLinks: MdxReviewLinks,
  EditorNote: MdxEditorNote,
} satisfies Record<MdxComponentName, unknown>;

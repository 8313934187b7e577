import { tags, type Tag } from '@lezer/highlight';

/**
 * The editor's colours, as data: CodeMirror's theme spec and highlight rules (editor.ts builds
 * them), kept apart so tests/unit/editor-contrast.test.ts can compute every text / background
 * pair from src/styles/tokens.css, light and dark. Colours are the site's CSS variables, so the
 * light and dark themes follow the page without a second theme; the --code-* tokens are the
 * editor's own.
 *
 * The active line is translucent because CodeMirror draws the selection in a layer under the
 * lines: on the active line, the text sits on --code-active-line over --surface or over
 * --code-selection.
 */
export const themeSpec: Record<string, Record<string, string>> = {
  '&': { color: 'var(--fg)', backgroundColor: 'var(--surface)', border: '1px solid var(--border)', borderRadius: 'var(--radius)', fontSize: '0.9rem' },
  '&.cm-focused': { outline: '3px solid var(--focus)', outlineOffset: '2px' },
  '.cm-content': { fontFamily: 'var(--font-mono)', caretColor: 'var(--fg)' },
  '.cm-scroller': { fontFamily: 'var(--font-mono)', lineHeight: '1.5' },
  '.cm-gutters': { backgroundColor: 'var(--surface-2)', color: 'var(--muted)', borderInlineEnd: '1px solid var(--border)' },
  '.cm-activeLine': { backgroundColor: 'var(--code-active-line)' },
  '.cm-activeLineGutter': { backgroundColor: 'var(--accent-soft)', color: 'var(--fg)' },
  '.cm-cursor, .cm-dropCursor': { borderInlineStartColor: 'var(--fg)' },
  '&.cm-focused .cm-selectionBackground, .cm-selectionBackground, ::selection': { backgroundColor: 'var(--code-selection) !important' },
  // CodeMirror's own match colours are fixed light-theme tints (a pale green or yellow under
  // light text in the dark theme): ours follow the page.
  '.cm-selectionMatch, .cm-searchMatch, .cm-lintRange-active': { backgroundColor: 'var(--code-match)' },
  '.cm-searchMatch-selected': { backgroundColor: 'var(--code-match)', outline: '1px solid var(--focus)' },
  '.cm-panels': { backgroundColor: 'var(--surface-2)', color: 'var(--fg)' },
  '.cm-panels input, .cm-panels button': { color: 'var(--fg)', backgroundColor: 'var(--bg)', border: '1px solid var(--border)' },
  '.cm-tooltip': { backgroundColor: 'var(--bg)', color: 'var(--fg)', border: '1px solid var(--border)' },
  '.cm-diagnostic-error': { borderInlineStartColor: 'var(--bad)' },
  '.cm-lintRange-error': { backgroundImage: 'none', textDecoration: 'underline wavy var(--bad)' },
  '.cm-errorLine': { backgroundColor: 'var(--bad-soft)' },
};

export interface TokenStyle {
  tag: Tag | Tag[];
  color: string;
  fontStyle?: string;
  fontWeight?: string;
}

export const highlightSpec: TokenStyle[] = [
  { tag: [tags.keyword, tags.controlKeyword, tags.moduleKeyword, tags.operatorKeyword], color: 'var(--code-keyword)' },
  { tag: [tags.string, tags.special(tags.string), tags.regexp], color: 'var(--code-string)' },
  { tag: [tags.number, tags.bool, tags.null, tags.atom], color: 'var(--code-number)' },
  { tag: [tags.comment, tags.lineComment, tags.blockComment], color: 'var(--muted)', fontStyle: 'italic' },
  { tag: [tags.function(tags.variableName), tags.function(tags.propertyName)], color: 'var(--code-function)' },
  { tag: [tags.typeName, tags.className, tags.namespace], color: 'var(--code-number)' },
  { tag: tags.definition(tags.variableName), color: 'var(--fg)', fontWeight: '600' },
];

import { EditorView, basicSetup } from 'codemirror';
import { indentWithTab, isolateHistory } from '@codemirror/commands';
import { javascript } from '@codemirror/lang-javascript';
import { HighlightStyle, syntaxHighlighting } from '@codemirror/language';
import { lintGutter, setDiagnostics, type Diagnostic } from '@codemirror/lint';
import { EditorState } from '@codemirror/state';
import { keymap } from '@codemirror/view';
import { highlightSpec, themeSpec } from './editor-theme';

/**
 * The code editor: CodeMirror 6 with TypeScript highlighting, line numbers, undo history,
 * search (Ctrl/Cmd+F), bracket matching and autocompletion from basicSetup. Tab indents; to
 * leave the editor with the keyboard press Escape, then Tab (CodeMirror's own rule, so Tab
 * never traps focus). Colours are the site's CSS variables (editor-theme.ts), so light and
 * dark themes follow the page without a second theme.
 */
const theme = EditorView.theme(themeSpec);
const highlight = HighlightStyle.define(highlightSpec);

export interface Editor {
  view: EditorView;
  get code(): string;
  /** Replace the whole text as one undoable change. */
  replace(code: string): void;
  /** Mark a 1-based line (and column) as an error; `undefined` clears the marks. */
  mark(place: { line: number; column?: number; message: string } | undefined): void;
  focus(): void;
}

/**
 * The editor lives in a shadow root: there CodeMirror's style-mod adopts constructed style
 * sheets instead of inserting <style> elements, which the page's CSP (hashes, no nonce on a
 * static host) would block. The theme only uses inherited CSS variables, so it still follows
 * the page's light/dark tokens.
 */
export function createEditor(host: HTMLElement, code: string, label: string, onChange: (code: string) => void): Editor {
  const root = host.shadowRoot ?? host.attachShadow({ mode: 'open' });
  const parent = document.createElement('div');
  root.replaceChildren(parent);
  const view = new EditorView({
    parent,
    root,
    state: EditorState.create({
      doc: code,
      extensions: [
        basicSetup,
        keymap.of([indentWithTab]),
        javascript({ typescript: true }),
        syntaxHighlighting(highlight),
        lintGutter(),
        theme,
        // tabindex: the editable text is in the tab order anyway (contenteditable), but a
        // checker that only counts tabindex and native controls (axe's scrollable-region-focusable)
        // would call a long editor's scroller a region no keyboard can reach.
        EditorView.contentAttributes.of({ 'aria-label': label, tabindex: '0' }),
        EditorView.updateListener.of((u) => {
          if (u.docChanged) onChange(u.state.doc.toString());
        }),
      ],
    }),
  });
  return {
    view,
    get code() {
      return view.state.doc.toString();
    },
    replace(text) {
      // Its own undo step, never merged with typing or another replace just before it.
      view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: text }, annotations: isolateHistory.of('full') });
    },
    mark(place) {
      const diagnostics: Diagnostic[] = [];
      if (place) {
        const doc = view.state.doc;
        const line = doc.line(Math.min(Math.max(1, place.line), doc.lines));
        const from = Math.min(line.from + Math.max(0, (place.column ?? 1) - 1), line.to);
        diagnostics.push({ from: place.column ? from : line.from, to: line.to > from ? line.to : from, severity: 'error', message: place.message });
      }
      view.dispatch(setDiagnostics(view.state, diagnostics));
    },
    focus: () => view.focus(),
  };
}

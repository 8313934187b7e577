import { decodeShare, encodeShare } from '../../playground/share';
import type { CheckResult, FromRunner, Place } from '../../playground/protocol';
import { safeStorage, storageKey } from '../../lib/storage';
import { createEditor, type Editor } from './editor';
import { renderDisplay } from './display';
import { RunnerClient } from './runner-client';

/**
 * One exercise, live: editor, Run / Check / Stop / Reset / Share / Download, a polite status
 * line and the output. Loaded by <pg-exercise> on activation. Learner text is only ever lost by
 * the learner: it is saved on every change (per exercise and locale), Reset and loading a
 * solution or a shared link are single undoable edits, and errors never touch the editor text.
 */
type Strings = Record<string, string>;
const store = safeStorage();
let client: RunnerClient | undefined;

export interface Mount {
  root: HTMLElement;
  id: string;
  locale: string;
  starter: string;
  solution: string;
  strings: Strings;
  limitS: number;
  backend: string;
}

function translate(strings: Strings) {
  return (key: string, params: Record<string, string | number> = {}) =>
    (strings[key] ?? key).replace(/\{(\w+)\}/g, (w, n: string) => (n in params ? String(params[n]) : w));
}

export async function mount(m: Mount): Promise<Editor> {
  const s = translate(m.strings);
  const q = <T extends HTMLElement>(sel: string) => m.root.querySelector<T>(sel)!;
  const key = storageKey('playground', 1, m.locale, m.id);
  const saved = store.getJSON(key);
  const savedCode = typeof (saved as { code?: unknown })?.code === 'string' ? (saved as { code: string }).code : undefined;

  const host = q('[data-editor]');
  let saveTimer = 0;
  const editor = createEditor(host, savedCode ?? m.starter, s('playground.editorLabel', { title: m.root.dataset.title ?? m.id }), (code) => {
    window.clearTimeout(saveTimer);
    saveTimer = window.setTimeout(() => store.setJSON(key, { code, savedAt: Date.now() }), 250);
  });
  q('[data-static]').hidden = true;
  q('[data-tools]').hidden = false;
  q('[data-activate]').hidden = true;

  const status = q('[data-status]');
  const output = q('[data-output]');
  const runBtn = q<HTMLButtonElement>('[data-run]');
  const checkBtn = q<HTMLButtonElement>('[data-check]');
  const stopBtn = q<HTMLButtonElement>('[data-stop]');
  const say = (text: string) => (status.textContent = text);
  if (!store.available) say(s('playground.noStorage'));

  client ??= new RunnerClient(m.backend, s('playground.sandboxTitle'));
  // The sandbox loads tfjs while the learner reads: the first Run answers at once.
  client.warm();

  const line = (text: string, cls: string) => {
    const p = document.createElement('pre');
    p.className = `pg-line ${cls}`;
    p.textContent = text;
    output.append(p);
    return p;
  };
  const placeText = (p: Place | undefined) => (p ? s('playground.atLine', { line: p.line }) : '');

  const setRunning = (on: boolean) => {
    runBtn.disabled = on;
    checkBtn.disabled = on;
    stopBtn.disabled = !on;
    m.root.toggleAttribute('data-running', on);
  };

  const onMessage = (msg: FromRunner) => {
    switch (msg.type) {
      case 'console':
        line(msg.parts.map((p) => p.text).join(' '), `pg-${msg.level}`);
        break;
      case 'display':
        output.append(renderDisplay(msg.display, s));
        break;
      case 'syntax-error':
        line(s('playground.syntaxError', { line: msg.place.line, column: msg.place.column, message: msg.message }), 'pg-error');
        editor.mark({ ...msg.place, message: msg.message });
        break;
      case 'runtime-error': {
        const where = msg.place ? s('playground.runtimeErrorAt', { line: msg.place.line }) : '';
        line(`${msg.name}: ${msg.message}${where ? ` (${where})` : ''}`, 'pg-error');
        const calls = msg.stack.slice(1).map((p) => p.line);
        if (calls.length) line(s('playground.calledFrom', { lines: calls.join(', ') }), 'pg-muted');
        if (msg.place) editor.mark({ line: msg.place.line, message: msg.message });
        break;
      }
      case 'refused':
        line(`${s(`playground.refused.${msg.key}`, msg.params)}${msg.place ? ` (${placeText(msg.place)})` : ''}`, 'pg-error');
        if (msg.place) editor.mark({ ...msg.place, message: s(`playground.refused.${msg.key}`, msg.params) });
        break;
      case 'checks':
        showChecks(msg.results);
        break;
      case 'done':
        setRunning(false);
        if (msg.leakedTensors > 0) line(s('playground.leak', { count: msg.leakedTensors }), 'pg-warn');
        say(s('playground.status.done', { seconds: (msg.ms / 1000).toFixed(1) }));
        break;
    }
  };

  const showChecks = (results: CheckResult[]) => {
    const list = document.createElement('ul');
    list.className = 'pg-checks';
    for (const r of results) {
      const li = document.createElement('li');
      li.dataset.pass = String(r.pass);
      const mark = document.createElement('strong');
      mark.textContent = r.pass ? s('playground.check.pass') : s('playground.check.fail');
      li.append(mark, ' ', s(`playground.check.${r.key}`, r.params));
      list.append(li);
    }
    const ok = results.every((r) => r.pass);
    const head = document.createElement('p');
    head.className = `pg-verdict ${ok ? 'pg-ok' : 'pg-bad'}`;
    head.textContent = ok ? s('playground.check.allPassed') : s('playground.check.someFailed', { count: results.filter((r) => !r.pass).length });
    output.append(head, list);
  };

  const run = (withCheck: boolean) => {
    output.replaceChildren();
    editor.mark(undefined);
    setRunning(true);
    say(s(withCheck ? 'playground.status.checking' : 'playground.status.running'));
    client!.run(editor.code, m.limitS * 1000, withCheck ? m.id : undefined, {
      onMessage,
      onEnd(reason, detail) {
        setRunning(false);
        const msg = reason === 'timeLimit' ? s('playground.refused.timeLimit')
          : reason === 'lost' ? s('playground.sandboxLost')
          : reason === 'crashed' ? s('playground.crashed', { detail: detail ?? '' }) : s('playground.status.stopped');
        line(msg, reason === 'stopped' ? 'pg-warn' : 'pg-error');
        say(msg);
      },
    });
  };

  runBtn.addEventListener('click', () => run(false));
  checkBtn.addEventListener('click', () => run(true));
  stopBtn.addEventListener('click', () => client!.stop());
  editor.view.dom.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey) && !runBtn.disabled) {
      e.preventDefault();
      run(e.shiftKey);
    }
  });
  q('[data-reset]').addEventListener('click', () => {
    editor.replace(m.starter);
    say(s('playground.status.reset'));
  });
  q('[data-load-solution]').addEventListener('click', () => {
    editor.replace(m.solution);
    say(s('playground.status.solution'));
  });
  q('[data-download]').addEventListener('click', () => {
    const a = document.createElement('a');
    a.href = URL.createObjectURL(new Blob([editor.code], { type: 'text/typescript' }));
    a.download = `${m.id}.ts`;
    a.click();
    setTimeout(() => URL.revokeObjectURL(a.href), 1000);
  });
  const shareOut = q<HTMLInputElement>('[data-share-url]');
  q('[data-share]').addEventListener('click', async () => {
    const url = new URL(location.href);
    url.hash = await encodeShare(m.id, editor.code);
    shareOut.value = url.href;
    shareOut.parentElement!.hidden = false;
    let copied = false;
    try {
      await navigator.clipboard.writeText(url.href);
      copied = true;
    } catch {
      /* no clipboard permission: the field shows the link to copy by hand */
    }
    say(s(copied ? 'playground.status.shareCopied' : 'playground.status.shareReady'));
    shareOut.select();
  });

  // A share link for this exercise: load it when nothing is saved, otherwise offer it.
  const shared = await decodeShare(location.hash);
  if (shared && shared.exerciseId === m.id && shared.code !== editor.code) {
    if (savedCode === undefined) {
      editor.replace(shared.code);
      say(s('playground.status.sharedLoaded'));
    } else {
      const offer = q('[data-offer]');
      offer.hidden = false;
      q('[data-offer-load]').addEventListener('click', () => {
        editor.replace(shared.code);
        offer.hidden = true;
        say(s('playground.status.sharedLoaded'));
        editor.focus();
      });
      q('[data-offer-keep]').addEventListener('click', () => {
        offer.hidden = true;
        editor.focus();
      });
    }
  }
  return editor;
}

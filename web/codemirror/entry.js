// The ASL code editor: CodeMirror 6 with the few extensions the pane needs, exposed to the Rust
// side (src/ui/code_view.rs) as `window.StatecraftCM`. esbuild bundles this file into one script
// (build.sh). The document's undo history is the app's (src/editor/history.rs), so CodeMirror's
// own history extension is left out: Ctrl+Z reaches the app's handler instead.
import { EditorState, StateEffect, StateField, Annotation, Compartment } from '@codemirror/state';
import {
  EditorView, keymap, lineNumbers, highlightActiveLine, highlightActiveLineGutter, drawSelection, Decoration,
} from '@codemirror/view';
import {
  syntaxHighlighting, HighlightStyle, bracketMatching, foldGutter, codeFolding, foldKeymap, indentOnInput,
} from '@codemirror/language';
import { json } from '@codemirror/lang-json';
import { defaultKeymap } from '@codemirror/commands';
import { search, searchKeymap } from '@codemirror/search';
import { setDiagnostics, lintKeymap } from '@codemirror/lint';
import { closeBrackets, closeBracketsKeymap } from '@codemirror/autocomplete';
import { tags as t } from '@lezer/highlight';

// Whether long lines wrap (the pane's toggle): reconfigured in place, the text and cursor stay.
const wrapping = new Compartment();

// A change written from the model (not typed): not reported back.
const fromModel = Annotation.define();

// The selected state's lines, highlighted.
const setBand = StateEffect.define();
const bandLine = Decoration.line({ class: 'cm-state-band' });
const band = StateField.define({
  create: () => Decoration.none,
  update(deco, tr) {
    deco = deco.map(tr.changes);
    for (const e of tr.effects) {
      if (!e.is(setBand)) continue;
      const { from, to } = e.value;
      if (from < 0) { deco = Decoration.none; continue; }
      const doc = tr.state.doc;
      const ranges = [];
      for (let l = doc.lineAt(from).number, last = doc.lineAt(to).number; l <= last; l++) ranges.push(bandLine.range(doc.line(l).from));
      deco = Decoration.set(ranges);
    }
    return deco;
  },
  provide: (f) => EditorView.decorations.from(f),
});

// Colours come from style/main.css's variables, so the editor follows the light and dark themes.
const highlight = HighlightStyle.define([
  { tag: t.propertyName, color: 'var(--code-key)' },
  { tag: t.string, color: 'var(--code-string)' },
  { tag: t.number, color: 'var(--code-number)' },
  { tag: [t.bool, t.null], color: 'var(--code-keyword)' },
  { tag: [t.brace, t.squareBracket, t.separator, t.punctuation], color: 'var(--muted)' },
]);

const theme = EditorView.theme({
  '&': { height: '100%', color: 'var(--text)', backgroundColor: 'var(--panel-2)', fontSize: '12.5px' },
  '.cm-scroller': { fontFamily: 'var(--mono)', lineHeight: '19px' },
  '.cm-content': { caretColor: 'var(--accent)' },
  '.cm-cursor': { borderLeftColor: 'var(--accent)' },
  '.cm-gutters': { backgroundColor: 'var(--panel-2)', color: 'var(--muted)', borderRight: '1px solid var(--border)' },
  '.cm-activeLine, .cm-activeLineGutter': { backgroundColor: 'color-mix(in srgb, var(--text) 5%, transparent)' },
  '&.cm-focused .cm-selectionBackground, .cm-selectionBackground, ::selection': { backgroundColor: 'var(--accent-soft) !important' },
  '.cm-state-band': { backgroundColor: 'var(--accent-soft)' },
  '.cm-matchingBracket': { backgroundColor: 'var(--accent-soft)', outline: '1px solid var(--accent)' },
  '.cm-searchMatch': { backgroundColor: 'color-mix(in srgb, var(--warning) 30%, transparent)' },
  '.cm-panels': { backgroundColor: 'var(--panel)', color: 'var(--text)' },
  '.cm-tooltip': { backgroundColor: 'var(--panel)', color: 'var(--text)', border: '1px solid var(--border)' },
  '.cm-foldPlaceholder': { backgroundColor: 'var(--accent-soft)', border: 'none', color: 'var(--text)' },
});

/** A code editor in `parent` holding `text`; `onChange(text)` hears every edit the user makes. */
function create(parent, text, onChange) {
  const view = new EditorView({
    parent,
    state: EditorState.create({
      doc: text,
      extensions: [
        lineNumbers(), highlightActiveLineGutter(), foldGutter(), codeFolding(), drawSelection(),
        indentOnInput(), bracketMatching(), closeBrackets(), highlightActiveLine(), search({ top: true }),
        json(), syntaxHighlighting(highlight), theme, band, wrapping.of([]),
        keymap.of([...closeBracketsKeymap, ...defaultKeymap, ...searchKeymap, ...foldKeymap, ...lintKeymap]),
        EditorView.contentAttributes.of({ 'aria-label': 'ASL definition', 'data-testid': 'asl-code' }),
        EditorView.updateListener.of((u) => {
          if (u.docChanged && !u.transactions.some((tr) => tr.annotation(fromModel))) onChange(u.state.doc.toString());
        }),
      ],
    }),
  });
  // The scroller can take the focus, so a keyboard alone can scroll a long definition sideways
  // (axe: scrollable-region-focusable).
  view.scrollDOM.tabIndex = 0;
  return new Code(view);
}

const clamp = (view, n) => Math.max(0, Math.min(n, view.state.doc.length));

class Code {
  constructor(view) { this.view = view; }

  /** Replaces the text with `text` as the smallest change, so the cursor and folds stay. */
  setText(text) {
    const old = this.view.state.doc.toString();
    if (old === text) return;
    let a = 0;
    const n = Math.min(old.length, text.length);
    while (a < n && old.charCodeAt(a) === text.charCodeAt(a)) a++;
    let b = 0;
    while (b < n - a && old.charCodeAt(old.length - 1 - b) === text.charCodeAt(text.length - 1 - b)) b++;
    this.view.dispatch({
      changes: { from: a, to: old.length - b, insert: text.slice(a, text.length - b) },
      annotations: fromModel.of(true),
    });
  }

  /** Squiggles: `list` is JSON `[[from, to, "error"|"warning", message], ...]` in UTF-16 offsets. */
  setDiagnostics(list) {
    const view = this.view;
    const diagnostics = JSON.parse(list).map(([from, to, severity, message]) => {
      from = clamp(view, from);
      return { from, to: Math.max(from, clamp(view, to)), severity, message };
    });
    view.dispatch(setDiagnostics(view.state, diagnostics));
  }

  /** Selects `from..to`, scrolls it into view and focuses the editor. */
  select(from, to) {
    const view = this.view;
    view.dispatch({ selection: { anchor: clamp(view, from), head: clamp(view, to) }, scrollIntoView: true });
    view.focus();
  }

  /** Highlights the lines of `from..to` (a selected state) and scrolls them into view, with
   * `reveal` (where its name starts) in view across: scrolling to `from`, the value after a long
   * name, would cut the name's start off. -1 clears. */
  highlight(from, to, reveal = from) {
    const view = this.view;
    const effects = [setBand.of({ from: from < 0 ? -1 : clamp(view, from), to: clamp(view, to) })];
    if (from >= 0) effects.push(EditorView.scrollIntoView(clamp(view, reveal < 0 ? from : reveal), { y: 'start', yMargin: 40, x: 'nearest', xMargin: 24 }));
    view.dispatch({ effects });
  }

  /** Wraps long lines (`on`) or scrolls them sideways. */
  setWrap(on) {
    this.view.dispatch({ effects: wrapping.reconfigure(on ? EditorView.lineWrapping : []) });
  }

  destroy() { this.view.destroy(); }
}

/** The text of the editor inside `element` (for tests and tools). */
function textOf(element) {
  return EditorView.findFromDOM(element)?.state.doc.toString() ?? null;
}

/** The CodeMirror view inside `element` (for benchmarks that type through it). */
function viewOf(element) {
  return EditorView.findFromDOM(element);
}

window.StatecraftCM = { create, textOf, viewOf };

/**
 * The cell editor: CodeMirror 6 with Python, line numbers and the page's own code colours.
 *
 * Bundled by the build (esbuild) into editor.bundle.js and imported only when a page with cells
 * is idle, or when the reader edits. Colours come from Material's CSS variables, so the editor
 * follows the light/dark palette exactly like the highlighted code it replaces.
 *
 * Keys: Shift+Enter or Ctrl/Cmd+Enter runs the cell; Esc leaves the editor (focus moves to the
 * Run button), so Tab can indent without trapping keyboard users.
 */
import { EditorState, Prec, StateEffect, StateField } from "@codemirror/state";
import {
  Decoration, EditorView, drawSelection, highlightActiveLine, highlightActiveLineGutter, keymap,
  lineNumbers,
} from "@codemirror/view";
import { defaultKeymap, history, historyKeymap, indentWithTab } from "@codemirror/commands";
import { bracketMatching, HighlightStyle, indentOnInput, indentUnit, syntaxHighlighting } from "@codemirror/language";
import { pythonLanguage } from "@codemirror/lang-python";
import { tags as t } from "@lezer/highlight";

const v = (name) => `var(--md-code-hl-${name}-color)`;

const highlight = HighlightStyle.define([
  { tag: [t.keyword, t.controlKeyword, t.definitionKeyword, t.moduleKeyword, t.operatorKeyword], color: v("keyword") },
  { tag: [t.string, t.docString], color: v("string") },
  { tag: [t.special(t.string), t.escape], color: v("special") },
  { tag: [t.number, t.integer, t.float], color: v("number") },
  { tag: [t.bool, t.null, t.atom, t.standard(t.variableName)], color: v("constant") },
  { tag: [t.comment, t.lineComment], color: v("comment"), fontStyle: "italic" },
  { tag: [t.function(t.variableName), t.function(t.propertyName), t.definition(t.function(t.variableName))], color: v("function") },
  { tag: [t.className, t.definition(t.className)], color: v("name") },
  { tag: [t.operator, t.compareOperator, t.arithmeticOperator, t.logicOperator], color: v("operator") },
  { tag: [t.punctuation, t.paren, t.squareBracket, t.brace, t.separator], color: v("punctuation") },
  { tag: t.meta, color: v("special") },
]);

const theme = EditorView.theme({
  "&": { color: "var(--md-code-fg-color)", backgroundColor: "var(--md-code-bg-color)" },
  ".cm-content": { fontFamily: "var(--md-code-font-family)", caretColor: "var(--md-code-fg-color)" },
  ".cm-scroller": { fontFamily: "var(--md-code-font-family)", lineHeight: "1.5" },
  ".cm-gutters": {
    backgroundColor: "var(--md-code-bg-color)", border: "none",
    color: "color-mix(in srgb, var(--md-code-fg-color) 80%, var(--md-code-bg-color))",
  },
  // A gutter of fixed width (up to 999 lines), the width cells.css gives the highlighted code's
  // line numbers: the editor then wraps lines where the highlighted code did and is as tall.
  ".cm-lineNumbers .cm-gutterElement": { minWidth: "calc(3ch + 8px)", padding: "0 3px 0 5px" },
  ".cm-cursor, .cm-dropCursor": { borderLeftColor: "var(--md-code-fg-color)" },
  ".cm-activeLine, .cm-activeLineGutter": { backgroundColor: "var(--md-code-hl-color--light)" },
  "&.cm-focused": { outline: "2px solid var(--md-accent-fg-color)", outlineOffset: "1px" },
  "&.cm-focused > .cm-scroller > .cm-selectionLayer .cm-selectionBackground, .cm-selectionBackground": {
    backgroundColor: "var(--md-code-hl-color)",
  },
  ".cm-error-line": { backgroundColor: "var(--cell-error-bg)" },
});

// --- the line of the last error --------------------------------------------------------------
const setErrorLine = StateEffect.define();
const errorLine = StateField.define({
  create: () => Decoration.none,
  update(deco, tr) {
    if (tr.docChanged) deco = Decoration.none;
    for (const effect of tr.effects) {
      if (!effect.is(setErrorLine)) continue;
      const n = effect.value;
      if (!n || n < 1 || n > tr.state.doc.lines) deco = Decoration.none;
      else deco = Decoration.set([Decoration.line({ class: "cm-error-line" }).range(tr.state.doc.line(n).from)]);
    }
    return deco;
  },
  provide: (field) => EditorView.decorations.from(field),
});

/**
 * @param {object} o
 * @param {HTMLElement} o.parent
 * @param {string} o.doc  the code
 * @param {string} o.label  accessible name of the editing area
 * @param {() => void} o.onRun
 * @param {(text: string) => void} o.onChange
 * @param {() => void} o.onEscape
 */
export function createEditor({ parent, doc, label, onRun, onChange, onEscape }) {
  const run = () => { onRun(); return true; };
  const view = new EditorView({
    parent,
    state: EditorState.create({
      doc,
      extensions: [
        Prec.highest(keymap.of([
          { key: "Shift-Enter", run },
          { key: "Mod-Enter", run },
          { key: "Escape", run: () => { onEscape(); return true; } },
        ])),
        lineNumbers(), highlightActiveLineGutter(), highlightActiveLine(), drawSelection(), history(),
        indentOnInput(), bracketMatching(), pythonLanguage, syntaxHighlighting(highlight), theme, errorLine,
        keymap.of([...defaultKeymap, ...historyKeymap, indentWithTab]),
        EditorState.tabSize.of(4), indentUnit.of("    "),
        // Wrapped lines and no height limit: the editor never becomes a scroll area of its own.
        EditorView.lineWrapping,
        EditorView.contentAttributes.of({ "aria-label": label }),
        EditorView.updateListener.of((update) => { if (update.docChanged) onChange(update.state.doc.toString()); }),
      ],
    }),
  });
  return {
    getText: () => view.state.doc.toString(),
    setText(text) {
      view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: text } });
    },
    markError(line) { view.dispatch({ effects: setErrorLine.of(line) }); },
    focus: () => view.focus(),
    destroy: () => view.destroy(),
  };
}

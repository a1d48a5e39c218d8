// The code editor: CodeMirror 6 (assets/vendor-codemirror/, pinned, see scripts/site/vendor_editor.py)
// with Python highlighting, line numbers and history. Loaded only when the code panel opens.
//
// It lives in a shadow root: CodeMirror injects its styles as a <style> element into a document
// (which the page's CSP, style-src 'self', refuses) but as a constructed stylesheet into a
// shadow root (which the CSP allows). So the theme below is the editor's whole styling.
//
// Keyboard: Tab indents (Python needs it); Escape then Tab leaves the editor (CodeMirror's own
// escape hatch, stated on the page and in the accessible name); Ctrl/Cmd+Enter runs the checks.

import { EditorState } from "../vendor-codemirror/codemirror-state.js";
import {
  EditorView, drawSelection, highlightActiveLine, highlightActiveLineGutter, keymap, lineNumbers,
} from "../vendor-codemirror/codemirror-view.js";
import {
  defaultKeymap, history, historyKeymap, indentWithTab,
} from "../vendor-codemirror/codemirror-commands.js";
import {
  bracketMatching, defaultHighlightStyle, indentOnInput, indentUnit, syntaxHighlighting,
} from "../vendor-codemirror/codemirror-language.js";
import { python } from "../vendor-codemirror/codemirror-lang-python.js";

const theme = EditorView.theme({
  "&": {
    fontSize: "0.9rem",
    border: "1px solid #9aa3ad",
    borderRadius: "6px",
    backgroundColor: "#fff",
    color: "#1b1f24",
  },
  "&.cm-focused": { outline: "3px solid #f0a30a", outlineOffset: "2px" },
  ".cm-scroller": {
    fontFamily: "ui-monospace, 'DejaVu Sans Mono', Menlo, Consolas, monospace",
    minHeight: "14em",
    maxHeight: "32em",
    lineHeight: "1.45",
  },
  ".cm-content": { padding: "6px 0" },
  ".cm-gutters": { backgroundColor: "#f3f5f7", color: "#5b6570", borderRight: "1px solid #d5dae0" },
  ".cm-activeLine": { backgroundColor: "#f1f6ff" },
  ".cm-activeLineGutter": { backgroundColor: "#e3ecfb" },
});

export function createEditor(host, { doc, label, onChange, onRun }) {
  const shadow = host.shadowRoot || host.attachShadow({ mode: "open" });
  const run = () => {
    onRun();
    return true;
  };
  const view = new EditorView({
    parent: shadow,
    state: EditorState.create({
      doc,
      extensions: [
        lineNumbers(),
        highlightActiveLineGutter(),
        highlightActiveLine(),
        drawSelection(),
        history(),
        indentOnInput(),
        bracketMatching(),
        indentUnit.of("    "),
        EditorState.tabSize.of(4),
        python(),
        syntaxHighlighting(defaultHighlightStyle),
        keymap.of([
          { key: "Mod-Enter", run, preventDefault: true },
          ...defaultKeymap,
          ...historyKeymap,
          indentWithTab,
        ]),
        // tabindex: the text area is focusable anyway (contenteditable); saying so lets audit
        // tools see that its scrolling region can be reached with the keyboard.
        EditorView.contentAttributes.of({ "aria-label": label, spellcheck: "false", tabindex: "0" }),
        EditorView.updateListener.of((update) => {
          if (update.docChanged) onChange(update.state.doc.toString());
        }),
        theme,
      ],
    }),
  });
  return {
    view,
    getText: () => view.state.doc.toString(),
    // Replacing the text is one undoable change: Ctrl+Z brings the learner's code back.
    setText: (text) => {
      view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: text } });
    },
  };
}

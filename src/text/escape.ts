// Node titles, error messages, tracebacks and file names come from other
// people's workflows, servers and folders. Before they reach a terminal or an
// HTML page they are escaped, here and only here, the same way everywhere.
//
// Three kinds of characters are made visible instead of obeyed:
// - control characters (C0, DEL, C1): ESC sequences move the cursor, retitle
//   the window or clear the screen; BEL rings;
// - bidirectional controls (U+202A–202E embeddings and overrides, U+2066–2069
//   isolates, U+200E/U+200F marks, U+061C): they reorder what is shown, so
//   "node 12" can display as "node 21" (Trojan Source, CVE-2021-42574);
// - invisible characters (U+200B–200D zero-width space/joiners, U+2060 word
//   joiner, U+FEFF): two ids that look the same can differ, and a terminal
//   table counts a character that takes no column.

function isControl(code: number): boolean {
  return code < 0x20 || code === 0x7f || (code >= 0x80 && code < 0xa0);
}

/** Bidi controls and invisible characters: shown as `\u{…}` in terminals and HTML alike. */
export function isDeceptive(code: number): boolean {
  return (
    (code >= 0x202a && code <= 0x202e) ||
    (code >= 0x2066 && code <= 0x2069) ||
    code === 0x200e ||
    code === 0x200f ||
    code === 0x061c ||
    (code >= 0x200b && code <= 0x200d) ||
    code === 0x2060 ||
    code === 0xfeff
  );
}

const visible = (code: number): string => `\\u{${code.toString(16)}}`;

/**
 * Makes text safe to print on a terminal: control characters become `\xNN`,
 * bidi controls and invisible characters `\u{…}`. Newlines and tabs are kept
 * only when `keepNewlines` is set (tracebacks).
 */
export function escapeTerminal(text: string, keepNewlines = false): string {
  let out = "";
  for (const ch of text) {
    const code = ch.codePointAt(0)!;
    if (keepNewlines && (ch === "\n" || ch === "\t")) out += ch;
    else if (isControl(code)) out += `\\x${code.toString(16).padStart(2, "0")}`;
    else if (isDeceptive(code)) out += visible(code);
    else out += ch;
  }
  return out;
}

const HTML_ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

// The markup characters, the controls a browser would drop silently (but not newline and tab), and the deceptive ones.
const HTML_SPECIAL = /[&<>"']|[\u0000-\u0008\u000b-\u001f\u007f-\u009f]|[\u061c\u200b-\u200f\u202a-\u202e\u2060\u2066-\u2069\ufeff]/g;

/** Makes text safe inside HTML text and attribute values; bidi, invisible and control characters are shown as `\u{…}`. */
export function escapeHtml(text: string): string {
  return text.replace(HTML_SPECIAL, (c) => HTML_ESCAPES[c] ?? visible(c.codePointAt(0)!));
}

/** For text a chart draws (node titles as axis labels): the deceptive and control characters made visible, markup left to the renderer. */
export function neutralizeText(text: string): string {
  return text.replace(HTML_SPECIAL, (c) => HTML_ESCAPES[c] === undefined ? visible(c.codePointAt(0)!) : c);
}

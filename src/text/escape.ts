// Node titles, error messages and tracebacks come from other people's
// workflows. Before they reach a terminal or an HTML page they are escaped.

/**
 * Makes text safe to print on a terminal: control characters (ESC sequences
 * that could move the cursor, retitle the window or hide text, BEL, NUL,
 * and C1 controls) become visible `\xNN` / `\u{…}` escapes. Newlines and tabs
 * are kept only when `keepNewlines` is set (tracebacks).
 */
export function escapeTerminal(text: string, keepNewlines = false): string {
  let out = "";
  for (const ch of text) {
    const code = ch.codePointAt(0)!;
    const isControl = code < 0x20 || code === 0x7f || (code >= 0x80 && code < 0xa0);
    const isBidi = (code >= 0x202a && code <= 0x202e) || (code >= 0x2066 && code <= 0x2069);
    if (keepNewlines && (ch === "\n" || ch === "\t")) out += ch;
    else if (isControl) out += `\\x${code.toString(16).padStart(2, "0")}`;
    else if (isBidi) out += `\\u{${code.toString(16)}}`;
    else out += ch;
  }
  return out;
}

const HTML_ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]!);
}

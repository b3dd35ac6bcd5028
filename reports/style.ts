// Terminal styling and escaping shared by the terminal reports.

import { escapeTerminal } from "../src/text/escape.js";

export interface Style {
  heading(text: string): string;
  bad(text: string): string;
  good(text: string): string;
  dim(text: string): string;
}

/** ANSI bold/colour when `color`; plain text otherwise (NO_COLOR, pipes, files). */
export function makeStyle(color: boolean): Style {
  const wrap = (code: string) => (text: string) => (color ? `\x1b[${code}m${text}\x1b[0m` : text);
  return { heading: wrap("1"), bad: wrap("31"), good: wrap("32"), dim: wrap("2") };
}

/** Anything that came from a log (titles, messages, ids) goes through this before printing. */
export const esc = (text: string | null | undefined): string => escapeTerminal(text ?? "");

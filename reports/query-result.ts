// A query's result as text (an aligned table, cells escaped for the terminal),
// CSV (RFC 4180) or JSON (an array of row objects). Pure: rows in, string out.

import { escapeTerminal } from "../src/text/escape.js";
import { renderTable } from "./table.js";

export type QueryCell = null | boolean | number | string | QueryCell[] | { [key: string]: QueryCell };

export interface QueryResult {
  columns: { name: string; numeric: boolean }[];
  rows: QueryCell[][];
}

/** How a cell reads in text and CSV: null empty, lists and structs as JSON. */
function cellText(cell: QueryCell): string {
  if (cell === null) return "";
  if (typeof cell === "object") return JSON.stringify(cell);
  return String(cell);
}

export function renderQueryText(result: QueryResult): string {
  const columns = result.columns.map((c) => ({ header: escapeTerminal(c.name), align: c.numeric ? ("right" as const) : ("left" as const) }));
  const rows = result.rows.map((r) => r.map((cell) => escapeTerminal(cellText(cell))));
  const n = result.rows.length;
  return `${renderTable(columns, rows, "").join("\n")}\n(${n} row${n === 1 ? "" : "s"})\n`;
}

export function renderQueryCsv(result: QueryResult): string {
  const quote = (text: string) => (/[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text);
  const lines = [result.columns.map((c) => quote(c.name)), ...result.rows.map((r) => r.map((cell) => quote(cellText(cell))))];
  return lines.map((l) => `${l.join(",")}\r\n`).join("");
}

export function renderQueryJson(result: QueryResult): string {
  const objects = result.rows.map((r) => Object.fromEntries(result.columns.map((c, i) => [c.name, r[i] ?? null])));
  return `${JSON.stringify(objects, null, 2)}\n`;
}

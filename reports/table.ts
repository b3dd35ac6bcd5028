// Plain-text tables for the terminal: columns sized to their widest cell,
// numbers right-aligned. Cells must already be escaped.

export interface Column {
  header: string;
  align?: "left" | "right";
}

export function renderTable(columns: Column[], rows: string[][], indent = "  "): string[] {
  const widths = columns.map((c, i) => Math.max(displayWidth(c.header), ...rows.map((r) => displayWidth(r[i] ?? ""))));
  const line = (cells: string[]) =>
    indent +
    cells
      .map((cell, i) => (columns[i]!.align === "right" ? padStart(cell, widths[i]!) : padEnd(cell, widths[i]!)))
      .join("  ")
      .trimEnd();
  return [line(columns.map((c) => c.header)), ...rows.map((r) => line(r.map((c) => c ?? "")))];
}

/** Code points, not UTF-16 units; ANSI colour sequences do not count. */
export function displayWidth(text: string): number {
  return [...text.replace(/\x1b\[[0-9;]*m/g, "")].length;
}

function padEnd(text: string, width: number): string {
  return text + " ".repeat(Math.max(0, width - displayWidth(text)));
}

function padStart(text: string, width: number): string {
  return " ".repeat(Math.max(0, width - displayWidth(text))) + text;
}

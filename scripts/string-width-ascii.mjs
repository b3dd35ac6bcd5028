// The command line's string width, bundled in place of `string-width` (scripts/bundle-cli.mjs).
// yargs lays out the running command's whole help each time it runs one, in case it must show it;
// `string-width` measures each string with Intl.Segmenter, whose first use costs ~10 ms and each
// string ~35 µs: 15–45 ms of every command. comfyprof's own help text is ASCII and a few one-column
// symbols, counted here directly; any other text goes to `string-width` itself, loaded then.
// test/scripts/string-width-ascii.test.ts holds both to the same widths, and the help to the same text.

import stripAnsi from "strip-ansi";

/** ASCII and symbols that `string-width` counts as one column each, but control characters: none (the test checks every one). */
export const ONE_COLUMN = /^[\x00-\x7f\u00b1\u2026\u2192\u2190\u2013\u2014\u00d7\u00b7\u2265\u2264\u00b5\u00f7\u00b0]*$/;
const CONTROL = /[\x00-\x1f\x7f]/g;

/** A string-width function: the count above where it applies, else `loadFull()`'s, loaded on first need. */
export function makeStringWidth(loadFull) {
  let full = null;
  return (text, options = {}) => {
    if (typeof text !== "string" || text.length === 0) return 0;
    const plain = options.countAnsiEscapeCodes ? text : stripAnsi(text);
    if (ONE_COLUMN.test(plain)) return plain.length - (plain.match(CONTROL)?.length ?? 0);
    full ??= loadFull();
    return full(text, options);
  };
}

// A require, not an import: esbuild then initializes `string-width` on the first call that needs it, not at start-up.
export default makeStringWidth(() => require("string-width").default);

import { describe, expect, it } from "vitest";
import { escapeHtml, escapeTerminal, neutralizeText } from "../../src/text/escape.js";

describe("text/escape", () => {
  it("makes terminal control sequences visible instead of obeying them", () => {
    expect(escapeTerminal("a\u001b]0;pwned\u0007b\u009bc")).toBe("a\\x1b]0;pwned\\x07b\\x9bc");
  });

  it("keeps newlines and tabs only when asked (tracebacks)", () => {
    expect(escapeTerminal("a\n\tb")).toBe("a\\x0a\\x09b");
    expect(escapeTerminal("a\n\tb\r", true)).toBe("a\n\tb\\x0d");
  });

  it("shows bidirectional overrides that could disguise text", () => {
    expect(escapeTerminal("x\u202ey")).toBe("x\\u{202e}y");
  });

  it("shows every bidi control and invisible character, so ids cannot be spoofed and table cells keep their width", () => {
    const deceptive = [0x202a, 0x202b, 0x202c, 0x202d, 0x202e, 0x2066, 0x2067, 0x2068, 0x2069, 0x200e, 0x200f, 0x061c, 0x200b, 0x200c, 0x200d, 0x2060, 0xfeff];
    for (const code of deceptive) {
      const ch = String.fromCodePoint(code);
      const shown = `\\u{${code.toString(16)}}`;
      expect(escapeTerminal(`a${ch}b`)).toBe(`a${shown}b`);
      expect(escapeHtml(`a${ch}b`)).toBe(`a${shown}b`);
      expect(neutralizeText(`<${ch}>`)).toBe(`<${shown}>`);
    }
  });

  it("shows in HTML the control characters a browser would drop, keeping newlines and tabs", () => {
    expect(escapeHtml("a\u0000b\u001b[1m\n\t")).toBe("a\\u{0}b\\u{1b}[1m\n\t");
  });

  it("escapes HTML metacharacters", () => {
    expect(escapeHtml(`<img src=x onerror="a('b')">&`)).toBe("&lt;img src=x onerror=&quot;a(&#39;b&#39;)&quot;&gt;&amp;");
  });
});

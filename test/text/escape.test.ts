import { describe, expect, it } from "vitest";
import { escapeHtml, escapeTerminal } from "../../src/text/escape.js";

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

  it("escapes HTML metacharacters", () => {
    expect(escapeHtml(`<img src=x onerror="a('b')">&`)).toBe("&lt;img src=x onerror=&quot;a(&#39;b&#39;)&quot;&gt;&amp;");
  });
});

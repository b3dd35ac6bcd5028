import { describe, expect, it } from "vitest";
import { httpUrl, parseServerUrl, wsUrl } from "../../recorder/server-url.js";

describe("recorder/server-url", () => {
  it("keeps a path prefix and drops the trailing slash", () => {
    const u = parseServerUrl("https://host.example/comfy/");
    expect(u.httpBase).toBe("https://host.example/comfy");
    expect(httpUrl(u, "/prompt")).toBe("https://host.example/comfy/prompt");
    expect(wsUrl(u, "abc")).toBe("wss://host.example/comfy/ws?clientId=abc");
  });

  it("moves credentials to a Basic header and keeps them and the query out of the loggable form", () => {
    const u = parseServerUrl("http://user:p%40ss@127.0.0.1:8188/?token=xyz");
    expect(u.loggable).toBe("http://127.0.0.1:8188");
    expect(Buffer.from(u.basicAuth!, "base64").toString()).toBe("user:p@ss");
    expect(httpUrl(u, "/history/1")).toBe("http://127.0.0.1:8188/history/1?token=xyz");
    expect(wsUrl(u, "c")).toBe("ws://127.0.0.1:8188/ws?clientId=c&token=xyz");
  });

  it("accepts host:port without a scheme", () => {
    expect(parseServerUrl("127.0.0.1:8188").httpBase).toBe("http://127.0.0.1:8188");
  });

  it("refuses other schemes and does not echo secrets in the error", () => {
    expect(() => parseServerUrl("ftp://a:secret@h/")).toThrow(/must start with http/);
    expect(() => parseServerUrl("http://a:secret@[bad")).toThrow(/^(?!.*secret)/s);
  });
});

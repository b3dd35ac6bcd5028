import { describe, expect, it } from "vitest";
import { CPU_SYSTEM_STATS, protocolServers, sequentialRun } from "../support/scripted-runs.js";
import { recordAgainst } from "../support/record-harness.js";

const WORKFLOW = { "1": { class_type: "EmptyImage", inputs: {} } };
const startServer = protocolServers();

describe("recorder/record secrets", () => {
  it("sends --header values on HTTP and the WebSocket and never writes them to the log", async () => {
    const server = await startServer({
      onPrompt: () => ({ script: sequentialRun([{ id: "1", type: "EmptyImage", ms: 5 }]) }),
      systemStats: () => CPU_SYSTEM_STATS,
      requireHeader: { name: "authorization", value: "Bearer s3cret-token" },
    });
    const { result, text } = await recordAgainst(server.url, WORKFLOW, { headers: { Authorization: "Bearer s3cret-token" } });
    expect(result.reason).toBe("done");
    expect(server.requests.every((r) => r.headers.authorization === "Bearer s3cret-token")).toBe(true);
    expect(text).not.toContain("s3cret");
  });

  it("strips credentials and query tokens from the URL it logs but still sends them", async () => {
    const server = await startServer({
      onPrompt: () => ({ script: sequentialRun([{ id: "1", type: "EmptyImage", ms: 5 }]) }),
      systemStats: () => CPU_SYSTEM_STATS,
      requireHeader: { name: "authorization", value: `Basic ${Buffer.from("me:pa55word").toString("base64")}` },
    });
    const url = server.url.replace("http://", "http://me:pa55word@") + "/?token=tok123";
    const { result, text, lines } = await recordAgainst(url, WORKFLOW);
    expect(result.reason).toBe("done");
    expect(server.requests.find((r) => r.path.startsWith("/prompt"))?.path).toBe("/prompt?token=tok123");
    expect(lines[0]).toMatchObject({ serverUrl: server.url });
    expect(text).not.toContain("pa55word");
    expect(text).not.toContain("tok123");
    expect(text).not.toContain(Buffer.from("me:pa55word").toString("base64"));
  });
});

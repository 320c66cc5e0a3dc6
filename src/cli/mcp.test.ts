import { writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { printMcpList } from "./mcp.js";
import { useTempHome } from "../../test/helpers/temp-home.js";

const temp = useTempHome("wren-mcp-list-cli-", { project: true });

describe("wren mcp list --check in a project whose servers wait for consent", () => {
  it("names both ways a waiting server starts, as a session's report does: accepted with wren trust, or for one run with --allow mcp__NAME", async () => {
    // Never started here: the commands do not exist, and a waiting server is not run.
    writeFileSync(path.join(temp.project, ".mcp.json"), JSON.stringify({ mcpServers: { tool: { command: "wren-test-no-such-tool" }, docs: { type: "http", url: "http://127.0.0.1:9/mcp" } } }));
    expect(await printMcpList({ check: true })).toBe(0);
    expect(temp.printed.out).toContain("waiting for consent");
    expect(temp.printed.out).toContain("Read them, then accept them with: wren trust. To start them for one run only, recording nothing: wren -p --allow mcp__tool --allow mcp__docs (--trust-project starts all of the project's servers).");
    expect(temp.printed.err).toBe("");
  });
});

describe("wren mcp list shows a server's command line", () => {
  it("shell-quoted, so an argument with spaces reads as one word, and a control character is written out", async () => {
    writeFileSync(path.join(temp.project, ".mcp.json"), JSON.stringify({ mcpServers: { one: { command: "sh", args: ["-c", "a b"] }, two: { command: "sh", args: ["-c", "a", "b\u001b[2K"] } } }));
    expect(await printMcpList({})).toBe(0);
    expect(temp.printed.out).toContain('sh -c "a b"');
    expect(temp.printed.out).toContain('sh -c a "b\\x1b[2K"');
    temp.printed.out = "";
    await printMcpList({ json: true });
    const json = JSON.parse(temp.printed.out) as { servers: Array<{ name: string; target: string }> };
    expect(json.servers.map((s) => [s.name, s.target])).toEqual([["one", 'sh -c "a b"'], ["two", 'sh -c a "b\u001b[2K"']]);
  });
});

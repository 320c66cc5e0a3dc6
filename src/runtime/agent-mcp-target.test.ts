import { describe, expect, it } from "vitest";
import { waitingProjectServers, type McpServerEntry } from "./agent-mcp.js";

const entry = (name: string, command: string, args: string[]): McpServerEntry => ({ name, source: ".mcp.json", fromProject: true, config: { command, args } });

describe("what a waiting MCP server is shown to run", () => {
  it("shows each word as a shell reads it back, so one argument with spaces does not read as several", () => {
    const [one, two, quoted, empty] = waitingProjectServers(
      [entry("one", "sh", ["-c", "a b"]), entry("two", "sh", ["-c", "a", "b"]), entry("quoted", "node", ["it's", 'say "$HOME"']), entry("empty", "my tool", [""])],
      {},
    );
    expect(one!.target).toBe('sh -c "a b"');
    expect(two!.target).toBe("sh -c a b");
    expect(quoted!.target).toBe(`node "it's" 'say "$HOME"'`);
    expect(empty!.target).toBe('"my tool" ""');
  });

  it("shows a server reached over HTTP by its URL, as it is", () => {
    const [http] = waitingProjectServers([{ name: "docs", source: "config", fromProject: true, config: { type: "http", url: "https://example.com/mcp?a=b c" } }], {});
    expect(http!.target).toBe("https://example.com/mcp?a=b c");
  });
});

import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { defaultConfig } from "../config/index.js";
import { configuredMcpServers } from "./agent-mcp.js";

let root: string;
beforeEach(() => {
  root = mkdtempSync(path.join(os.tmpdir(), "wren-mcp-json-"));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

/** What a session reports for each server of this `.mcp.json` it cannot read. */
function failures(servers: Record<string, unknown>): Record<string, string> {
  writeFileSync(path.join(root, ".mcp.json"), JSON.stringify({ mcpServers: servers }));
  const config = defaultConfig({ env: {}, home: root });
  const set = configuredMcpServers(config, root);
  return Object.fromEntries(set.failures.map((f) => [f.server, f.error.message.slice(`${path.join(root, ".mcp.json")}: `.length)]));
}

describe("a .mcp.json server wren cannot start is reported as a sentence, as wren mcp add refuses one", () => {
  it("names the URL that is not http(s), as wren mcp add does", () => {
    expect(failures({ docs: { type: "http", url: "notaurl" } })).toEqual({
      docs: `The MCP server 'docs' is not one wren can start: its URL "notaurl" is not an http:// or https:// URL.`,
    });
  });

  it("says which key of the server is wrong, never zod's 'Invalid input → at config'", () => {
    const found = failures({
      nocommand: { args: ["x"] },
      badargs: { command: "npx", args: "-y server" },
      sse: { type: "sse", url: "http://127.0.0.1:9/mcp" },
      word: "npx server",
    });
    expect(found).toEqual({
      nocommand: `The MCP server 'nocommand' is not one wren can start: "command" is missing (the program that runs the server; or "url", for an HTTP server).`,
      badargs: `The MCP server 'badargs' is not one wren can start: "args" should be a list, not the string "-y server".`,
      sse: `The MCP server 'sse' is not one wren can start: "type" is "sse", not one of "http", "streamable-http".`,
      word: `The MCP server 'word' is not one wren can start: it is the string "npx server", not an object with a "command" or a "url".`,
    });
    for (const message of Object.values(found)) expect(message).not.toMatch(/Invalid input|✖|→/);
  });

  it("says a name that cannot name a server is the problem", () => {
    expect(failures({ "my server": { command: "npx" } })).toEqual({
      "my server": `'my server' cannot name an MCP server: use letters, digits, '_' and '-' only, with no '__' and no '_' at the end.`,
    });
  });

  it("refuses a name with '__' or ending in '_', which would let a rule for one server allow another's tools", () => {
    // `mcp__github__x__delete_repo`: tool x__delete_repo of github, or delete_repo of github__x? A rule `mcp__github` allows both.
    expect(failures({ github__x: { command: "npx" } })).toEqual({
      github__x: `'github__x' cannot name an MCP server: use letters, digits, '_' and '-' only, with no '__' and no '_' at the end.`,
    });
    // `mcp__github___x`: tool _x of github, or x of github_?
    expect(failures({ github_: { command: "npx" } })).toEqual({
      github_: `'github_' cannot name an MCP server: use letters, digits, '_' and '-' only, with no '__' and no '_' at the end.`,
    });
    expect(failures({ github_x: { command: "npx" }, "git-hub": { command: "npx" }, _github: { command: "npx" } })).toEqual({});
  });
});

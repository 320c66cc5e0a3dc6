import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, expect, it } from "vitest";
import { findProjectRoot } from "../agent/index.js";
import { loadConfig } from "../config/index.js";
import { openSessionMcp } from "./agent-mcp.js";

let root: string;
beforeEach(() => {
  root = mkdtempSync(path.join(os.tmpdir(), "wren-mcp-project-"));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

it("does not start an MCP server from a wren.toml in a subfolder of the repository without the user's consent", async () => {
  const repo = path.join(root, "clone");
  const sub = path.join(repo, "tools");
  const home = path.join(root, "home");
  mkdirSync(path.join(repo, ".git"), { recursive: true });
  mkdirSync(sub, { recursive: true });
  mkdirSync(home, { recursive: true });
  const marker = path.join(root, "ran");
  const script = `require("node:fs").writeFileSync(${JSON.stringify(marker)}, "")`;
  writeFileSync(path.join(sub, "wren.toml"), `[mcp.servers.x]\ncommand = ${JSON.stringify(process.execPath)}\nargs = ["-e", ${JSON.stringify(script)}]\n`);
  const { config } = await loadConfig({ home, cwd: sub, env: {} });
  expect(Object.keys(config.mcp.servers)).toEqual(["x"]);
  await using mcp = await openSessionMcp(config, findProjectRoot(sub), {}, { cwd: sub });
  expect(mcp.failures.map((f) => [f.server, f.error.code])).toEqual([["x", "forbidden"]]);
  expect(existsSync(marker)).toBe(false);
});

import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, expect, it } from "vitest";
import { findProjectRoot } from "../agent/index.js";
import { loadConfig } from "../config/index.js";
import { openSessionMcp } from "./agent-mcp.js";

let root: string;
let server: Server;
let requests = 0;
beforeEach(async () => {
  root = mkdtempSync(path.join(os.tmpdir(), "wren-mcp-offline-"));
  requests = 0;
  server = createServer((_req, res) => {
    requests++;
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
});
afterEach(async () => {
  await new Promise((resolve) => server.close(resolve));
  rmSync(root, { recursive: true, force: true });
});

it("offline, starts no MCP server reached over the network beyond this machine, and says so; one on loopback is still reached", async () => {
  const home = path.join(root, "home");
  const project = path.join(root, "project");
  mkdirSync(home, { recursive: true });
  mkdirSync(project, { recursive: true });
  const port = (server.address() as AddressInfo).port;
  writeFileSync(
    path.join(home, "config.toml"),
    `[mcp.servers.docs]\ntype = "http"\nurl = "https://mcp.docs.invalid/mcp"\n\n[mcp.servers.near]\ntype = "http"\nurl = "http://127.0.0.1:${port}/mcp"\n`,
  );
  const { config } = await loadConfig({ home, cwd: project, env: { WREN_HOME: home } });
  expect(Object.keys(config.mcp.servers).sort()).toEqual(["docs", "near"]);
  await using mcp = await openSessionMcp(config, findProjectRoot(project), {}, { cwd: project, offline: true });
  const docs = mcp.failures.find((f) => f.server === "docs");
  expect(docs?.error.message).toBe("The MCP server 'docs' was not started: wren is offline (--offline), and it is reached over the network.");
  // The loopback one was tried (and failed: this stand-in is no MCP server).
  expect(requests).toBeGreaterThan(0);
  expect(mcp.failures.some((f) => f.server === "near")).toBe(true);
});

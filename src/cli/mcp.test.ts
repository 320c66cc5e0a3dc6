import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { printMcpList } from "./mcp.js";
import { capturePrinted, type Printed } from "../../test/helpers/printed.js";

let root: string;
let project: string;
let printed: Printed;

beforeEach(() => {
  root = mkdtempSync(path.join(os.tmpdir(), "wren-mcp-list-cli-"));
  project = path.join(root, "project");
  const home = path.join(root, "home");
  mkdirSync(path.join(project, ".git"), { recursive: true });
  mkdirSync(home, { recursive: true });
  vi.stubEnv("WREN_HOME", home);
  vi.spyOn(process, "cwd").mockReturnValue(project);
  printed = capturePrinted();
});
afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
  rmSync(root, { recursive: true, force: true });
});

describe("wren mcp list --check in a project whose servers wait for consent", () => {
  it("names both ways a waiting server starts, as a session's report does: accepted with wren trust, or for one run with --allow mcp__NAME", async () => {
    // Never started here: the commands do not exist, and a waiting server is not run.
    writeFileSync(path.join(project, ".mcp.json"), JSON.stringify({ mcpServers: { tool: { command: "wren-test-no-such-tool" }, docs: { type: "http", url: "http://127.0.0.1:9/mcp" } } }));
    expect(await printMcpList({ check: true })).toBe(0);
    expect(printed.out).toContain("waiting for consent");
    expect(printed.out).toContain("Read them, then accept them with: wren trust. To start them for one run only, recording nothing: wren -p --allow mcp__tool --allow mcp__docs (--trust-project starts all of the project's servers).");
    expect(printed.err).toBe("");
  });
});

import { chmod, lstat, mkdir, mkdtemp, readdir, readFile, rm, stat, symlink, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { existsSync } from "node:fs";
import { mcpFixtures, mcpServer } from "../../test/helpers/mcp-fixtures.js";
import { acceptProjectMcpServers } from "../permissions/project-trust.js";
import { addMcpServer, checkMcpServers, listMcpServers, removeMcpServer, type McpConfigLocation } from "./agent-mcp-config.js";
import { waitingProjectServers } from "./agent-mcp.js";
import { loadProjectMcpConsent } from "./project-mcp-consent.js";

let dir: string;
let where: McpConfigLocation;
let userFile: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), "wren-mcp-config-"));
  await mkdir(path.join(dir, "app", ".git"), { recursive: true });
  await mkdir(path.join(dir, "app", "sub"), { recursive: true });
  where = { cwd: path.join(dir, "app", "sub"), env: { WREN_HOME: path.join(dir, "home") } };
  userFile = path.join(dir, "home", "config.toml");
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("wren mcp add and rm", () => {
  it("write the project's wren.toml at the project root, creating it, and leave no temporary file", async () => {
    const { file } = addMcpServer("files", { command: "npx", args: ["server"] }, "project", where);
    expect(file).toBe(path.join(dir, "app", "wren.toml"));
    expect(await readFile(file, "utf8")).toContain("[mcp.servers.files]");
    removeMcpServer("files", "project", where);
    expect(await readFile(file, "utf8")).not.toContain("files");
    expect((await readdir(path.dirname(file))).sort()).toEqual([".git", "sub", "wren.toml"]);
  });

  it.runIf(process.platform !== "win32")("keep the user file, which may hold API keys, its owner's alone, and write through a link to it", async () => {
    const real = path.join(dir, "dotfiles", "config.toml");
    await mkdir(path.dirname(real), { recursive: true });
    await writeFile(real, '[router.providers.openai]\napiKey = "sk-x"\n');
    await chmod(real, 0o600);
    await mkdir(path.dirname(userFile), { recursive: true });
    await symlink(real, userFile);
    expect(addMcpServer("files", { command: "npx" }, "user", where).file).toBe(userFile);
    expect((await lstat(userFile)).isSymbolicLink()).toBe(true);
    expect(await readFile(real, "utf8")).toContain("[mcp.servers.files]");
    expect((await stat(real)).mode & 0o777).toBe(0o600);
  });
});

describe("wren mcp add refusing a server", () => {
  it("says an --url that is not an http(s) URL is the problem, with the form that works", () => {
    for (const url of ["notaurl", "ftp://x"]) {
      const error: unknown = (() => {
        try {
          addMcpServer("docs", { type: "http", url }, "user", where);
        } catch (e) {
          return e;
        }
        return undefined;
      })();
      expect(error).toMatchObject({
        code: "bad_request",
        message: `The MCP server 'docs' is not one wren can start: its URL "${url}" is not an http:// or https:// URL.`,
        hint: "Give the server's endpoint, e.g. wren mcp add docs --url https://example.com/mcp.",
      });
    }
    expect(existsSync(userFile)).toBe(false);
  });
});

describe("wren mcp list --check", () => {
  /** A server that leaves `marker` behind when it runs (and is no MCP server: it exits). */
  const marking = (marker: string) => mcpServer(["-e", `require("node:fs").writeFileSync(${JSON.stringify(marker)}, "")`]);

  it("starts the user's servers and the project's accepted ones, and not a project's server the user has not accepted", async () => {
    const root = path.join(dir, "app");
    const unaccepted = path.join(dir, "unaccepted-ran");
    const changed = path.join(dir, "changed-ran");
    const own = path.join(dir, "own-ran");
    addMcpServer("mine", marking(own), "user", where);
    await writeFile(path.join(root, ".mcp.json"), JSON.stringify({ mcpServers: { fixture: mcpServer([mcpFixtures.stdio]), other: marking(changed) } }));
    const location = { projectRoot: root, env: where.env! };
    // Accepted as they are now: 'fixture' stays so, 'other' is then defined otherwise.
    const before = await listMcpServers(where);
    await acceptProjectMcpServers(location, waitingProjectServers(before.servers, await loadProjectMcpConsent(location)));
    const otherNow = { ...marking(changed), args: [...marking(changed).args, "--now-otherwise"] };
    await writeFile(path.join(root, ".mcp.json"), JSON.stringify({ mcpServers: { fixture: mcpServer([mcpFixtures.stdio]), other: otherNow, fresh: marking(unaccepted) } }));
    addMcpServer("proj", marking(unaccepted), "project", where);

    const { servers, projectRoot } = await listMcpServers(where);
    const checks = await checkMcpServers(servers, projectRoot, await loadProjectMcpConsent(location));
    const byName = Object.fromEntries(checks.map((c) => [c.name, c]));
    expect(byName["fixture"]!.waiting).toBeUndefined();
    expect(byName["fixture"]!.tools.map((t) => t.name)).toContain("mcp__fixture__echo");
    expect(byName["mine"]!.waiting).toBeUndefined();
    expect(byName["mine"]!.error).toBeDefined(); // it ran, wrote its marker and exited: no MCP server
    expect(existsSync(own)).toBe(true);
    expect(byName["fresh"]!.waiting).toMatchObject({ source: ".mcp.json", changed: false });
    expect(byName["proj"]!.waiting).toMatchObject({ source: "config", changed: false });
    expect(byName["other"]!.waiting).toMatchObject({ changed: true });
    expect([byName["fresh"], byName["proj"], byName["other"]].map((c) => [c!.error, c!.tools])).toEqual([
      [undefined, []],
      [undefined, []],
      [undefined, []],
    ]);
    expect(existsSync(unaccepted)).toBe(false);
    expect(existsSync(changed)).toBe(false);
  }, 30_000);
});

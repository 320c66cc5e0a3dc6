import { chmod, lstat, mkdir, mkdtemp, readdir, readFile, rm, stat, symlink, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { addMcpServer, removeMcpServer, type McpConfigLocation } from "./agent-mcp-config.js";

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

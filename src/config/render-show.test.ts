import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { configJsonSchema, loadConfig, renderShowJson, renderShowText, sectionContext, showRows } from "./index.js";

/** `wren config show` lists keys in the schema's order, each table's keys together. */
describe("config show order", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), "wren-config-show-"));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const keysShown = async (env: Record<string, string>) => {
    const { config, sources } = await loadConfig({ env: { WREN_HOME: dir, ...env }, home: dir, cwd: dir });
    const text = renderShowText(showRows(config, sources, configJsonSchema(sectionContext({ env: { WREN_HOME: dir } }))), dir);
    return text.split("\n").filter(Boolean).map((line) => line.split(/\s|=/)[0]!);
  };

  it("router.timeouts is not listed first as {} but as its keys, in place", async () => {
    const keys = await keysShown({});
    expect(keys).not.toContain("router.timeouts");
    expect(keys[0]!.split(".")[0]).not.toBe("router");
    const at = keys.indexOf("router.timeouts.connectMs");
    expect(keys.indexOf("router.breaker.cooldownMs")).toBe(at - 1);
    expect(keys.indexOf("router.targetTimeouts")).toBeGreaterThan(at);
  });

  it("a key set inside the table is shown in the same place", async () => {
    await writeFile(path.join(dir, "config.toml"), "[router.timeouts]\nidleMs = 5000\n");
    const keys = await keysShown({});
    const at = keys.indexOf("router.timeouts.idleMs");
    expect(keys.slice(at - 2, at + 1)).toEqual(["router.timeouts.connectMs", "router.timeouts.firstTokenMs", "router.timeouts.idleMs"]);
  });
});

describe("config show masks secrets", () => {
  it("inside a list of tables too: server.keys shows each name, never its key", async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), "wren-config-show-"));
    try {
      const env = { WREN_HOME: dir, WREN_SERVER_KEYS: JSON.stringify([{ name: "alice", key: "alice-secret-0123456789" }, { name: "bob", keyEnv: "BOB_KEY" }]) };
      const { config, sources } = await loadConfig({ env, home: dir, cwd: dir });
      const text = renderShowText(showRows(config, sources, configJsonSchema(sectionContext({ env: { WREN_HOME: dir } }))), dir);
      expect(text).not.toContain("alice-secret");
      expect(text).toContain('server.keys = [{"name":"alice","key":"********"},{"name":"bob","keyEnv":"BOB_KEY"}]');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe("config show masks a table of secrets by name", () => {
  it("peers.keys shows each peer's name, never its key, and an empty table as empty", async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), "wren-config-show-"));
    try {
      const schema = configJsonSchema(sectionContext({ env: { WREN_HOME: dir } }));
      const none = await loadConfig({ env: { WREN_HOME: dir }, home: dir, cwd: dir });
      expect(renderShowText(showRows(none.config, none.sources, schema), dir)).toMatch(/^peers\.keys = \{\} +# default$/m);
      await writeFile(path.join(dir, "config.toml"), '[peers.keys]\nstudio = "studio-secret-0123456789"\n');
      const some = await loadConfig({ env: { WREN_HOME: dir }, home: dir, cwd: dir });
      const text = renderShowText(showRows(some.config, some.sources, schema), dir);
      expect(text).not.toContain("studio-secret");
      expect(text).toMatch(/^peers\.keys\.studio = "\*{8}" +# user/m);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe("config show names a key holding a dot as TOML quotes it", () => {
  it("a provider named my.proxy and a price for openai:gpt-4.1 are shown with their values, secrets masked", async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), "wren-config-show-"));
    try {
      await writeFile(
        path.join(dir, "config.toml"),
        '[router.providers."my.proxy"]\nbaseURL = "http://127.0.0.1:9000/v1"\napiKey = "proxy-secret-123"\n[router.prices."openai:gpt-4.1"]\ninput = 2\noutput = 8\n',
      );
      const { config, sources } = await loadConfig({ env: { WREN_HOME: dir }, home: dir, cwd: dir });
      const rows = showRows(config, sources, configJsonSchema(sectionContext({ env: { WREN_HOME: dir } })));
      const text = renderShowText(rows, dir);
      expect(text).not.toContain("proxy-secret");
      expect(text).toMatch(/^router\.providers\."my\.proxy"\.apiKey = "\*{8}" +# user /m);
      expect(text).toMatch(/^router\.providers\."my\.proxy"\.baseURL = "http:\/\/127\.0\.0\.1:9000\/v1" +# user /m);
      expect(text).toMatch(/^router\.prices\."openai:gpt-4\.1"\.input = 2 +# user /m);
      const json = JSON.parse(renderShowJson(rows)) as { config: { router: { prices: Record<string, unknown> } }; sources: Record<string, unknown> };
      expect(json.config.router.prices).toEqual({ "openai:gpt-4.1": { input: 2, output: 8 } });
      expect(json.sources['router.prices."openai:gpt-4.1".output']).toEqual({ layer: "user", origin: path.join(dir, "config.toml") });
      // A problem names such a key the same way.
      await writeFile(path.join(dir, "config.toml"), '[models.aliases]\n"qwen2.5-coder" = ""\n');
      await expect(loadConfig({ env: { WREN_HOME: dir }, home: dir, cwd: dir })).rejects.toThrow('models.aliases."qwen2.5-coder": must not be empty.');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe("config show names the layer of each key of a named entry a higher layer replaces", () => {
  it("an MCP server in a variable replaces the user's server of that name: its keys show the variable or the default, none the user file", async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), "wren-config-show-"));
    try {
      const project = path.join(dir, "app");
      await mkdir(project);
      await writeFile(path.join(dir, "config.toml"), '[mcp.servers.docs]\ncommand = "docs-mcp"\nargs = ["--verbose"]\ncwd = "/srv/docs"\n[mcp.servers.web]\ncommand = "web-mcp"\n');
      // A project's wren.toml may not replace the user's servers (project-limits.ts); a variable may.
      const servers = { docs: { command: "npx" }, web: { type: "http", url: "https://web.example.com/mcp" } };
      const env = { WREN_HOME: dir, WREN_MCP_SERVERS: JSON.stringify(servers) };
      const { config, sources } = await loadConfig({ env, home: dir, cwd: project });
      const rows = showRows(config, sources, configJsonSchema(sectionContext({ env: { WREN_HOME: dir } })));
      const text = renderShowText(rows, dir);
      expect(text).toMatch(/^mcp\.servers\.docs\.args = \[\] +# default$/m);
      expect(text).toMatch(/^mcp\.servers\.docs\.command = "npx" +# env WREN_MCP_SERVERS$/m);
      expect(text).toMatch(/^mcp\.servers\.web\.url = "https:\/\/web\.example\.com\/mcp" +# env WREN_MCP_SERVERS$/m);
      expect(text).not.toMatch(/^mcp\.servers\.(docs\.cwd|web\.command|web\.args)/m);
      const json = JSON.parse(renderShowJson(rows)) as { config: { mcp: unknown }; sources: Record<string, { layer: string } | undefined> };
      expect(json.config.mcp).toEqual({ servers: { docs: { command: "npx", args: [] }, web: { type: "http", url: "https://web.example.com/mcp" } }, projectFile: true });
      expect(Object.entries(json.sources).filter(([key, source]) => key.startsWith("mcp.servers.") && source?.layer === "user")).toEqual([]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

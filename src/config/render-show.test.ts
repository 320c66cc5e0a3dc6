import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { configJsonSchema, loadConfig, renderShowText, sectionContext, showRows } from "./index.js";

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

import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { parse } from "smol-toml";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli.js";
import { startFakeUpstream, type FakeUpstream } from "../helpers/fake-upstreams/server.js";
import { KEYS, startWrenPty, type PtySession } from "../helpers/pty-terminal.js";

const KEY = "sk-setup-test-5ecret-4f9c";

/**
 * `wren setup` driven through a real pseudo-terminal: proxy-only with one OpenAI-compatible
 * provider and its key, the cloud policy, an MCP server; then a re-run that shows and edits the
 * current values, and one cancelled with Esc. Every step waits for the screen, never for time.
 */
describe("wren setup in a terminal", { timeout: 120_000 }, () => {
  let root: string;
  let home: string;
  let project: string;
  let configFile: string;
  let upstream: FakeUpstream;
  const sessions: PtySession[] = [];

  beforeAll(async () => {
    root = mkdtempSync(path.join(os.tmpdir(), "wren-setup-"));
    home = path.join(root, "home");
    project = path.join(root, "project");
    mkdirSync(project, { recursive: true });
    configFile = path.join(home, "config.toml");
    upstream = await startFakeUpstream("openai");
  });
  afterAll(async () => {
    for (const s of sessions) await s[Symbol.asyncDispose]();
    await upstream.close();
    rmSync(root, { recursive: true, force: true });
  });

  const env = (): Record<string, string> => ({ WREN_HOME: home });
  const setup = (): PtySession => {
    const pty = startWrenPty(["setup"], { cwd: project, env: env() });
    sessions.push(pty);
    return pty;
  };
  /**
   * Waits for the field `label`, types `text`, waits until the field shows it (as `shown`, when a
   * secret is masked or a long value cut), and submits it.
   */
  const answer = async (pty: PtySession, label: string, text: string, shown = text): Promise<void> => {
    await pty.waitFor(label, { visible: true });
    pty.type(text);
    await pty.waitFor(`${label} ${shown}`, { visible: true });
    pty.type(KEYS.enter);
  };
  /** Waits until the screen shows `shown`, then presses `key`. */
  const press = async (pty: PtySession, shown: string, key: string): Promise<void> => {
    await pty.waitFor(shown, { visible: true });
    pty.type(key);
  };
  /**
   * From the "Add a cloud provider" menu: picks an OpenAI-compatible URL and answers its four
   * fields; the key's dots are on screen when this returns, its check not yet.
   */
  const addCompatibleProvider = async (pty: PtySession, p: { name: string; url: string; model: string; key: string }): Promise<void> => {
    await press(pty, "Add a cloud provider", "7");
    await press(pty, "❯ 7. Any OpenAI-compatible URL", KEYS.enter);
    await answer(pty, "Name for this provider:", p.name);
    await answer(pty, "API root URL:", p.url);
    await answer(pty, `Model to use from ${p.name}:`, p.model);
    await answer(pty, `API key for ${p.name}:`, p.key, "•".repeat(p.key.length));
  };
  const readConfig = (): Record<string, Record<string, unknown>> => parse(readFileSync(configFile, "utf8")) as Record<string, Record<string, unknown>>;

  it("first run: proxy-only, an OpenAI-compatible provider with a checked key, policy ask, an MCP server", async () => {
    const pty = setup();
    await pty.waitFor("wren setup: first-run configuration");
    await press(pty, "❯ 1. Yes: a local model", KEYS.down);
    await press(pty, "❯ 2. No: proxy-only", KEYS.enter);

    await press(pty, "No cloud providers yet.", KEYS.enter);
    await press(pty, "Proxy-only needs a cloud provider to answer", "a");
    await addCompatibleProvider(pty, { name: "myllm", url: `${upstream.url}/v1`, model: "my-model", key: KEY });
    await press(pty, "myllm: my-model · key accepted", KEYS.enter);

    await pty.waitFor("Cloud policy: may requests leave this machine?", { visible: true });
    await press(pty, "❯ 2. ask", KEYS.enter);

    await press(pty, "No MCP servers yet.", "a");
    await answer(pty, "MCP server name:", "files");
    await answer(pty, "Command or URL for files:", "npx -y @modelcontextprotocol/server-filesystem .", "npx -y");
    await press(pty, "❯ files: npx -y @modelcontextprotocol/server-filesystem .", KEYS.enter);

    await pty.waitFor("Review", { visible: true });
    expect(pty.screen()).toContain("Cloud policy:    ask");
    pty.type(KEYS.enter);
    expect(await pty.exited).toBe(0);
    expect(pty.text()).toContain(`Saved ${configFile}`);

    // The key went to the provider once, to check it, and never to the screen.
    const check = upstream.requests.find((r) => r.method === "GET" && r.path === "/v1/models");
    expect(check?.headers.authorization).toBe(`Bearer ${KEY}`);
    expect(pty.text()).not.toContain(KEY);
    expect(pty.text()).not.toContain(KEY.slice(0, 8));

    if (process.platform !== "win32") expect(statSync(configFile).mode & 0o777).toBe(0o600);
    const validate = await runCli(["config", "validate"], { env: env(), cwd: project });
    expect(validate.stderr).toBe("");
    expect(validate.stdout).toBe("ok\n");
    const config = readConfig();
    expect(config["router"]).toMatchObject({
      proxyOnly: true,
      cloud: "ask",
      teachers: ["myllm:my-model"],
      providers: { myllm: { kind: "openai-compatible", baseURL: `${upstream.url}/v1`, apiKey: KEY } },
    });
    expect(config["mcp"]).toMatchObject({ servers: { files: { command: "npx", args: ["-y", "@modelcontextprotocol/server-filesystem", "."] } } });
    expect(config["models"]?.["default"]).toBeUndefined();
  });

  it("a re-run shows the current values and changes one: the policy becomes allow, the key stays", async () => {
    const pty = setup();
    await pty.waitFor(`wren setup: editing ${configFile}`);
    await press(pty, "❯ 2. No: proxy-only", KEYS.enter);
    await press(pty, "❯ myllm: my-model · key stored", KEYS.enter);
    await press(pty, "❯ 2. ask", KEYS.up);
    await press(pty, "❯ 1. allow", KEYS.enter);
    await press(pty, "❯ files: npx -y", KEYS.enter);
    await press(pty, "Cloud policy:    allow", KEYS.enter);
    expect(await pty.exited).toBe(0);
    expect(pty.text()).not.toContain(KEY);

    const config = readConfig();
    expect(config["router"]).toMatchObject({ proxyOnly: true, cloud: "allow", teachers: ["myllm:my-model"], providers: { myllm: { apiKey: KEY } } });
    expect(config["mcp"]).toMatchObject({ servers: { files: { command: "npx" } } });
    const validate = await runCli(["config", "validate"], { env: env(), cwd: project });
    expect(validate.stdout).toBe("ok\n");
  });

  it("without a terminal, says it needs one", async () => {
    const r = await runCli(["setup"], { env: env(), cwd: project });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^wren: wren setup asks its questions in a terminal, and this is not one\. Run `wren setup` in a terminal/);
  });

  it("b goes back a step, d deletes, and Esc cancels without writing anything", async () => {
    const before = readFileSync(configFile, "utf8");
    const pty = setup();
    await press(pty, "❯ 2. No: proxy-only", KEYS.enter);
    await press(pty, "❯ myllm: my-model · key stored", "d");
    await press(pty, "No cloud providers yet.", "b");
    await press(pty, "Run a model on this machine?", KEYS.escape);
    expect(await pty.exited).toBe(0);
    expect(pty.text()).toContain("Cancelled: nothing was written.");
    expect(readFileSync(configFile, "utf8")).toBe(before);
  });

  it("under NO_COLOR the wizard draws no colours", async () => {
    const pty = setup();
    await pty.waitFor("Run a model on this machine?", { visible: true });
    // The test terminal has NO_COLOR set: no foreground colour (SGR 30–39, 90–97) is ever sent.
    expect(pty.output()).toContain("Run a model on this machine?");
    expect(pty.output()).not.toMatch(new RegExp(`${"\x1b"}\\[(?:3\\d|9[0-7])m`));
    pty.type(KEYS.escape);
    expect(await pty.exited).toBe(0);
  });

  it("Ctrl+C leaves with status 130 (as any command), writing nothing", async () => {
    const before = readFileSync(configFile, "utf8");
    const pty = setup();
    await press(pty, "Run a model on this machine?", KEYS.ctrlC);
    expect(await pty.exited).toBe(130);
    expect(pty.text()).toContain("Cancelled: nothing was written.");
    expect(readFileSync(configFile, "utf8")).toBe(before);
  });

  it("a key the provider refuses is said so, and can be typed again", async () => {
    // Accepts only the key "good", as a provider answers a wrong one: 401.
    const strict = http.createServer((req, res) => res.writeHead(req.headers.authorization === "Bearer good" ? 200 : 401).end("{}"));
    await new Promise<void>((resolve) => strict.listen(0, "127.0.0.1", resolve));
    const url = `http://127.0.0.1:${(strict.address() as AddressInfo).port}/v1`;
    try {
      const pty = setup();
      await press(pty, "❯ 2. No: proxy-only", KEYS.enter);
      await press(pty, "a add · d delete", "a");
      await addCompatibleProvider(pty, { name: "strict", url, model: "m", key: "bad" });
      await pty.waitFor("strict refused the key (HTTP 401).", { visible: true });
      await press(pty, "❯ 1. Type the key again", KEYS.enter);
      await answer(pty, "API key for strict:", "good", "••••");
      await press(pty, "strict: m · key accepted", KEYS.escape);
      expect(await pty.exited).toBe(0);
      expect(readConfig()["router"]?.["providers"]).not.toHaveProperty("strict");
    } finally {
      await new Promise<void>((resolve) => strict.close(() => resolve()));
    }
  });
});

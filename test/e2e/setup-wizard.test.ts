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
  /** Types text into a field, waits until the field shows `shown`, and submits it. */
  const fill = async (pty: PtySession, text: string, shown: string): Promise<void> => {
    pty.type(text);
    await pty.waitFor(shown, { visible: true });
    pty.type(KEYS.enter);
  };
  const readConfig = (): Record<string, Record<string, unknown>> => parse(readFileSync(configFile, "utf8")) as Record<string, Record<string, unknown>>;

  it("first run: proxy-only, an OpenAI-compatible provider with a checked key, policy ask, an MCP server", async () => {
    const pty = setup();
    await pty.waitFor("wren setup: first-run configuration");
    await pty.waitFor("❯ 1. Yes: a local model", { visible: true });
    pty.type(KEYS.down);
    await pty.waitFor("❯ 2. No: proxy-only", { visible: true });
    pty.type(KEYS.enter);

    await pty.waitFor("No cloud providers yet.", { visible: true });
    pty.type(KEYS.enter);
    await pty.waitFor("Proxy-only needs a cloud provider to answer", { visible: true });
    pty.type("a");
    await pty.waitFor("Add a cloud provider", { visible: true });
    pty.type("7");
    await pty.waitFor("❯ 7. Any OpenAI-compatible URL", { visible: true });
    pty.type(KEYS.enter);
    await pty.waitFor("Name for this provider:", { visible: true });
    await fill(pty, "myllm", "Name for this provider: myllm");
    await pty.waitFor("API root URL:", { visible: true });
    await fill(pty, `${upstream.url}/v1`, `API root URL: ${upstream.url}/v1`);
    await pty.waitFor("Model to use from myllm:", { visible: true });
    await fill(pty, "my-model", "Model to use from myllm: my-model");
    await pty.waitFor("API key for myllm:", { visible: true });
    await fill(pty, KEY, `API key for myllm: ${"•".repeat(KEY.length)}`);
    await pty.waitFor("myllm: my-model · key accepted", { visible: true });
    pty.type(KEYS.enter);

    await pty.waitFor("Cloud policy: may requests leave this machine?", { visible: true });
    await pty.waitFor("❯ 2. ask", { visible: true });
    pty.type(KEYS.enter);

    await pty.waitFor("No MCP servers yet.", { visible: true });
    pty.type("a");
    await pty.waitFor("MCP server name:", { visible: true });
    await fill(pty, "files", "MCP server name: files");
    await pty.waitFor("Command or URL for files:", { visible: true });
    await fill(pty, "npx -y @modelcontextprotocol/server-filesystem .", "Command or URL for files: npx -y");
    await pty.waitFor("❯ files: npx -y @modelcontextprotocol/server-filesystem .", { visible: true });
    pty.type(KEYS.enter);

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
    await pty.waitFor("❯ 2. No: proxy-only", { visible: true });
    pty.type(KEYS.enter);
    await pty.waitFor("❯ myllm: my-model · key stored", { visible: true });
    pty.type(KEYS.enter);
    await pty.waitFor("❯ 2. ask", { visible: true });
    pty.type(KEYS.up);
    await pty.waitFor("❯ 1. allow", { visible: true });
    pty.type(KEYS.enter);
    await pty.waitFor("❯ files: npx -y", { visible: true });
    pty.type(KEYS.enter);
    await pty.waitFor("Cloud policy:    allow", { visible: true });
    pty.type(KEYS.enter);
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
    await pty.waitFor("❯ 2. No: proxy-only", { visible: true });
    pty.type(KEYS.enter);
    await pty.waitFor("❯ myllm: my-model · key stored", { visible: true });
    pty.type("d");
    await pty.waitFor("No cloud providers yet.", { visible: true });
    pty.type("b");
    await pty.waitFor("Run a model on this machine?", { visible: true });
    pty.type(KEYS.escape);
    expect(await pty.exited).toBe(0);
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
      await pty.waitFor("❯ 2. No: proxy-only", { visible: true });
      pty.type(KEYS.enter);
      await pty.waitFor("a add · d delete", { visible: true });
      pty.type("a");
      await pty.waitFor("Add a cloud provider", { visible: true });
      pty.type("7");
      await pty.waitFor("❯ 7. Any OpenAI-compatible URL", { visible: true });
      pty.type(KEYS.enter);
      await pty.waitFor("Name for this provider:", { visible: true });
      await fill(pty, "strict", "Name for this provider: strict");
      await pty.waitFor("API root URL:", { visible: true });
      await fill(pty, url, `API root URL: ${url}`);
      await pty.waitFor("Model to use from strict:", { visible: true });
      await fill(pty, "m", "Model to use from strict: m");
      await pty.waitFor("API key for strict:", { visible: true });
      await fill(pty, "bad", "API key for strict: •••");
      await pty.waitFor("strict refused the key (HTTP 401).", { visible: true });
      await pty.waitFor("❯ 1. Type the key again", { visible: true });
      pty.type(KEYS.enter);
      await pty.waitFor("API key for strict:", { visible: true });
      await fill(pty, "good", "API key for strict: ••••");
      await pty.waitFor("strict: m · key accepted", { visible: true });
      pty.type(KEYS.escape);
      expect(await pty.exited).toBe(0);
      expect(readConfig()["router"]?.["providers"]).not.toHaveProperty("strict");
    } finally {
      await new Promise<void>((resolve) => strict.close(() => resolve()));
    }
  });
});

import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { parse } from "smol-toml";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { catalog } from "../../src/models/catalog.js";
import { runCli } from "../helpers/cli.js";
import { startFakeHub, type FakeHub } from "../helpers/fake-hub.js";
import { KEYS, startWrenPty, type PtySession } from "../helpers/pty-terminal.js";
import { sharedModels } from "../helpers/shared-models.js";

/** The catalog's chat models as the wizard lists them (largest first), and the smallest's place. */
const chat = catalog.filter((e) => e.purpose === "chat").sort((a, b) => b.sizeBytes - a.sizeBytes);
const smallest = chat.at(-1)!;
const CHUNK = 64 * 1024;

/**
 * `wren setup` choosing a local model: the preview, then wren's own pull from a Hub stand-in with a
 * progress bar (held half-way by the stand-in, so the bar is seen part-filled, then resumed), and
 * `models.default` written.
 */
describe("wren setup with a local model", { timeout: 120_000 }, () => {
  let root: string;
  let home: string;
  let project: string;
  let hub: FakeHub;
  let pty: PtySession | undefined;

  beforeAll(async () => {
    root = mkdtempSync(path.join(os.tmpdir(), "wren-setup-local-"));
    home = path.join(root, "home");
    project = path.join(root, "project");
    mkdirSync(project, { recursive: true });
    hub = await startFakeHub({ repos: { [smallest.repo]: { files: [{ path: smallest.file, source: sharedModels.chat }] } } });
  });
  afterAll(async () => {
    await pty?.[Symbol.asyncDispose]();
    await hub.close();
    rmSync(root, { recursive: true, force: true });
  });

  it("previews the model, pulls it with a progress bar and writes models.default", async () => {
    const env = { WREN_HOME: home, HF_ENDPOINT: hub.url, HF_TOKEN: undefined, WREN_MODELS_DIR: undefined };
    const total = statSync(sharedModels.chat).size;
    const cut = 4 * CHUNK;
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    hub.faults.chunkSize = CHUNK;
    hub.faults.cutAtBytes = cut;
    hub.faults.beforeCut = () => held;

    pty = startWrenPty(["setup"], { cwd: project, env });
    await pty.waitFor("❯ 1. Yes: a local model", { visible: true });
    pty.type(KEYS.enter);

    await pty.waitFor("Which model?", { visible: true });
    const place = chat.indexOf(smallest) + 1;
    pty.type(String(place));
    await pty.waitFor(`❯ ${place}. ${smallest.name}`, { visible: true });
    const preview = pty.screen();
    expect(preview).toContain(`Repository:    ${smallest.repo} (${smallest.file})`);
    expect(preview).toContain("Parameters:    0.5B");
    expect(preview).toContain("Quantisation:  Q4_K_M");
    expect(preview).toMatch(/Download:\s+[\d.]+ MB/);
    expect(preview).toMatch(/Memory needed: about [\d.]+ [MG]B/);
    expect(preview).toMatch(/This machine:\s+(fits|does not fit) in [\d.]+ [MG]B free RAM/);
    pty.type(KEYS.enter);

    // The stand-in holds the download after `cut` bytes: the bar shows that share, part-filled.
    await pty.waitFor(`Downloading ${smallest.name}`, { visible: true });
    const percent = Math.floor((cut / total) * 100);
    const filled = Math.round((cut / total) * 30);
    await pty.waitFor(new RegExp(`█{${filled}}░{${30 - filled}}\\s+${percent}%`), { visible: true });
    release();
    await pty.waitFor(/█{30} 100%/, { visible: true });
    await pty.waitFor(`Pulled ${smallest.name}`, { visible: true });
    pty.type(KEYS.enter);

    await pty.waitFor("No cloud providers yet.", { visible: true });
    pty.type(KEYS.enter);
    await pty.waitFor("Cloud policy: may requests leave this machine?", { visible: true });
    pty.type(KEYS.enter);
    await pty.waitFor("No MCP servers yet.", { visible: true });
    pty.type(KEYS.enter);
    await pty.waitFor(`Local model:     ${smallest.name}`, { visible: true });
    pty.type(KEYS.enter);
    expect(await pty.exited).toBe(0);

    const configFile = path.join(home, "config.toml");
    const config = parse(readFileSync(configFile, "utf8")) as Record<string, Record<string, unknown>>;
    expect(config["models"]?.["default"]).toBe(smallest.name);
    expect(config["router"]?.["proxyOnly"]).toBeUndefined();
    const validate = await runCli(["config", "validate"], { env, cwd: project });
    expect(validate.stdout).toBe("ok\n");
    // The model is in wren's store: an offline pull finds it without the network.
    const present = await runCli(["pull", smallest.name, "--offline"], { env, cwd: project });
    expect(present.stdout).toContain(`${smallest.name} is present`);
    // Resumed after the cut: the second download asked for the rest only.
    expect(hub.downloads(smallest.file).map((r) => r.range)).toEqual([undefined, `bytes=${cut}-`]);
  });
});

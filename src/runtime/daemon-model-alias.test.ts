import { mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chat128k } from "../../test/helpers/chat-model-128k.js";
import { CHAT_MODEL_REPLY, hasSharedModels } from "../../test/helpers/shared-models.js";
import { standInDaemonCommand, standInHome, standInHomes, wrenFromSources } from "../../test/helpers/stand-in-daemon-homes.js";
import { loadConfig } from "../config/index.js";
import { openAgentRun } from "./agent.js";
import { runningDaemonModel } from "./cmd-daemon.js";
import { startDaemon, stopDaemon } from "./daemon.js";
import { openDaemonModel, servedIds } from "./daemon-model.js";
import { daemonRefTarget } from "./daemon-preferred.js";

/** The daemon's stand-in, serving the models in WREN_STAND_IN_MODELS. */
const command = standInDaemonCommand;
const home = standInHomes("wren-daemon-alias-");
const wren = wrenFromSources;

/**
 * A wren home whose user config makes `small` an alias of a GGUF file (tiny-q8.gguf, in the home),
 * and whose daemon (the stand-in) serves `served`; `files`: the models its /status lists with that
 * file, as it is (`file`) or through a link to it (`link`).
 */
async function aliasHome(served: string[], files: Record<string, "file" | "link"> = {}, env = home()): Promise<{ env: NodeJS.ProcessEnv; url: string; file: string }> {
  const wrenHome = env["WREN_HOME"] ?? "";
  const file = path.join(wrenHome, "models", "tiny-q8.gguf");
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, "GGUF");
  const link = path.join(wrenHome, "linked.gguf");
  symlinkSync(file, link);
  writeFileSync(path.join(wrenHome, "config.toml"), `[models.aliases]\nsmall = ${JSON.stringify(file)}\nremote = "hf:org/remote-GGUF:Q8_0"\n`);
  const listed = Object.fromEntries(Object.entries(files).map(([id, how]) => [id, how === "file" ? file : link]));
  const { state } = await startDaemon({ env: { ...env, WREN_STAND_IN_MODELS: served.join(","), WREN_STAND_IN_FILES: JSON.stringify(listed) }, command, startTimeoutMs: 60_000 });
  return { env, url: state.url, file };
}

/**
 * An aliasHome made once for the tests of the describe this is called in, which leave its daemon
 * serving what it served: its daemon is stopped and the home removed after them.
 */
function sharedAliasHome(served: string[], files: Record<string, "file" | "link">): () => { env: NodeJS.ProcessEnv; url: string; file: string } {
  let shared: { env: NodeJS.ProcessEnv; url: string; file: string } | undefined;
  let env: NodeJS.ProcessEnv | undefined;
  beforeAll(async () => {
    env = standInHome("wren-daemon-alias-shared-");
    shared = await aliasHome(served, files, env);
  }, 120_000);
  afterAll(async () => {
    if (!env?.["WREN_HOME"]) return;
    await stopDaemon({ env, stopTimeoutMs: 10_000 }).catch(() => undefined);
    rmSync(env["WREN_HOME"], { recursive: true, force: true });
  });
  return () => {
    if (!shared) throw new Error("the shared home was not made");
    return shared;
  };
}

/** openDaemonModel for `--model ref` as this home's wren asks for it. */
async function openNamed(ref: string, env: NodeJS.ProcessEnv): ReturnType<typeof openDaemonModel> {
  const { config } = await loadConfig({ cwd: env["WREN_HOME"] ?? "", env });
  return openDaemonModel({ ref, refTarget: daemonRefTarget(config, ref), env, command });
}

describe("a --model alias on a running daemon", () => {
  describe("whose daemon serves the alias's file under the file's name", () => {
    const onFile = sharedAliasHome(["other-model", "tiny-q8"], { "tiny-q8": "file" });

    it("is the model the daemon serves from the file the alias stands for, under the file's name: nothing is added", async () => {
      const { env, url } = onFile();
      const opened = await openNamed("small", env);
      expect([opened.model.modelId, opened.fallback]).toEqual(["tiny-q8", undefined]);
      expect(await servedIds(url)).toEqual(["other-model", "tiny-q8"]);
    }, 120_000);

    it("wren run --daemon --model, wren -p --daemon --model and wren -p --model local:ALIAS answer with it", async () => {
      const { env, url } = onFile();
      const run = await wren(["run", "--daemon", "--json", "--model", "small", "say hello"], env);
      expect(run.stderr).not.toContain("model_not_found");
      expect(run.code).toBe(0);
      expect(JSON.parse(run.stdout)).toMatchObject({ model: { id: "tiny-q8" } });

      const print = await wren(["-p", "--daemon", "--model", "small", "--output-format", "json", "say hello"], env);
      expect(print.stderr).not.toContain("does not serve");
      expect(print.code).toBe(0);
      expect((JSON.parse(print.stdout) as { result?: string }).result).toBe("Hello from the stand-in.");
      // `local:` goes through the daemon without --daemon.
      const local = await wren(["-p", "--model", "local:small", "--output-format", "json", "say hello"], env);
      expect(local.stderr).not.toContain("does not serve");
      expect(local.code).toBe(0);
      expect(await servedIds(url)).toEqual(["other-model", "tiny-q8"]);
    }, 180_000);

    it("the terminal UI's background load finds it as well", async () => {
      const { env, url } = onFile();
      const cwd = env["WREN_HOME"] ?? "";
      const { config } = await loadConfig({ env, cwd });
      await using tui = await openAgentRun({ config, model: "small", daemon: true, loadInBackground: true, daemonCommand: command, allow: [], deny: [], cwd, env, signal: new AbortController().signal });
      const turn = tui.run("say hello");
      let last = await turn.next();
      while (!last.done) last = await turn.next();
      expect(last.value.error).toBeUndefined();
      expect(await servedIds(url)).toEqual(["other-model", "tiny-q8"]);
    }, 120_000);
  });

  describe("whose daemon serves the alias's file through a link, under a name that is neither the alias's nor the file's", () => {
    const throughLink = sharedAliasHome(["other-model", "served-elsewhere"], { "served-elsewhere": "link" });

    it("is found under its own name first, then by the file it stands for (links followed) under any name", async () => {
      const named = await aliasHome(["tiny-q8", "small"], { "tiny-q8": "file", small: "file" });
      expect((await openNamed("small", named.env)).model.modelId).toBe("small");

      // The daemon serves the alias's file through a link, under a name that is neither the alias's nor the file's.
      const byFile = throughLink();
      expect((await openNamed("small", byFile.env)).model.modelId).toBe("served-elsewhere");
      expect(await servedIds(byFile.url)).toEqual(["other-model", "served-elsewhere"]);
    }, 120_000);

    it("given to wren daemon start while the daemon runs, is served when the daemon serves what the user's alias stands for", async () => {
      const { env } = throughLink();
      const start = await wren(["daemon", "start", "--model", "small", "--model", "unknown-model"], env);
      expect(start.code).toBe(0);
      expect(start.stderr).toContain("--model unknown-model had no effect");
      expect(start.stderr).not.toContain("--model small");
    }, 120_000);

    it("is what wren cmd finds on a running daemon, as the file the alias stands for (a file too), instead of loading it a second time", async () => {
      const { env, file } = throughLink();
      const { config } = await loadConfig({ cwd: env["WREN_HOME"] ?? "", env });
      expect((await runningDaemonModel("small", { refTarget: daemonRefTarget(config, "small"), env }))?.model.modelId).toBe("served-elsewhere");
      expect((await runningDaemonModel(file, { env }))?.model.modelId).toBe("served-elsewhere");
      expect(await runningDaemonModel("unknown-model", { env })).toBeUndefined();
    }, 120_000);
  });

  it("adds the alias's file once when the daemon does not serve it, and uses it from then on", async () => {
    const { env, url } = await aliasHome(["other-model"]);
    expect((await openNamed("small", env)).model.modelId).toBe("tiny-q8");
    expect((await openNamed("small", env)).model.modelId).toBe("tiny-q8");
    expect(await servedIds(url)).toEqual(["other-model", "tiny-q8"]);
  }, 120_000);

  it("is asked for as what it stands for when that is no file, and a name that is neither an alias nor served is refused, saying what to do", async () => {
    const { env } = await aliasHome(["other-model", "hf:org/remote-GGUF:Q8_0"]);
    expect((await openNamed("remote", env)).model.modelId).toBe("hf:org/remote-GGUF:Q8_0");
    const refused = openNamed("unknown-model", env);
    await expect(refused).rejects.toMatchObject({ code: "model_not_found", message: expect.stringContaining('does not serve "unknown-model"') });
    await expect(refused).rejects.toMatchObject({ hint: expect.stringContaining("models.aliases") });
  }, 120_000);

  it("starts a daemon that is not running with what the alias stands for: a project's alias is not the daemon's", async () => {
    const env = home();
    const wrenHome = env["WREN_HOME"] ?? "";
    const file = path.join(wrenHome, "models", "tiny-q8.gguf");
    writeFileSync(path.join(wrenHome, "config.toml"), `[models.aliases]\nsmall = ${JSON.stringify(file)}\n`);
    const seen = path.join(wrenHome, "args.json");
    const script = `require("node:fs").writeFileSync(${JSON.stringify(seen)}, JSON.stringify(process.argv.slice(1))); process.exit(2)`;
    const { config } = await loadConfig({ cwd: wrenHome, env });
    await expect(openDaemonModel({ ref: "small", refTarget: daemonRefTarget(config, "small"), env, command: [process.execPath, "-e", script] })).rejects.toMatchObject({ code: "config_invalid" });
    expect(JSON.parse(readFileSync(seen, "utf8"))).toEqual(["serve", "--daemon", "--model", file]);
  }, 60_000);

  it.runIf(hasSharedModels)("wren -p --model ALIAS of a GGUF file answers from a running daemon serving that file, as the default model does; --no-daemon loads it here", async () => {
    const env = home();
    const wrenHome = env["WREN_HOME"] ?? "";
    // A model whose context holds the assistant's instructions and tools, so that one loaded here answers too.
    writeFileSync(path.join(wrenHome, "config.toml"), `[models.aliases]\nsmall = ${JSON.stringify(chat128k)}\n`);
    const { state } = await startDaemon({
      env: { ...env, WREN_STAND_IN_MODELS: "other-model,served-chat", WREN_STAND_IN_FILES: JSON.stringify({ "served-chat": chat128k }) },
      command,
      startTimeoutMs: 60_000,
    });
    const print = await wren(["-p", "--model", "small", "--output-format", "json", "say hello"], env);
    expect(print.code).toBe(0);
    // The daemon's answer: the file was not loaded a second time in this process.
    expect((JSON.parse(print.stdout) as { result?: string }).result).toBe("Hello from the stand-in.");
    expect(await servedIds(state.url)).toEqual(["other-model", "served-chat"]);

    const here = await wren(["-p", "--no-daemon", "--model", "small", "--output-format", "json", "say hello"], { ...env, WREN_ENGINE_THREADS: "1", WREN_ENGINE_CONTEXT_SIZE: "16384" });
    expect(here.code).toBe(0);
    expect((JSON.parse(here.stdout) as { result?: string }).result).toBe(CHAT_MODEL_REPLY);
  }, 180_000);

});

import { mkdirSync, symlinkSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { standInDaemonCommand, standInHomes, wrenFromSources } from "../../test/helpers/stand-in-daemon-homes.js";
import { loadConfig } from "../config/index.js";
import { startDaemon } from "./daemon.js";
import { openDaemonModel, servedIds } from "./daemon-model.js";
import { preferredDaemonModel } from "./daemon-preferred.js";

/** The daemon's stand-in, serving the models in WREN_STAND_IN_MODELS. */
const command = standInDaemonCommand;
const home = standInHomes("wren-daemon-fallback-");
const wren = wrenFromSources;

/** A wren home whose daemon (the stand-in) serves `served` and nothing else; `files`: the GGUF file of some, as its /status lists them. */
async function daemonServing(served: string[], files: Record<string, string> = {}): Promise<{ env: NodeJS.ProcessEnv; pid: number; url: string }> {
  const env = home();
  const { state } = await startDaemon({ env: { ...env, WREN_STAND_IN_MODELS: served.join(","), WREN_STAND_IN_FILES: JSON.stringify(files) }, command, startTimeoutMs: 60_000 });
  return { env, pid: state.pid, url: state.url };
}

describe("a running daemon that does not serve the configured models.default", () => {
  it("answers with its first model, and the client is told which one and why", async () => {
    const { env } = await daemonServing(["other-model", "third-model"]);
    const opened = await openDaemonModel({ preferred: "wanted-model", env, command });
    expect(opened.model.modelId).toBe("other-model");
    expect(opened.fallback).toEqual({ asked: "wanted-model", answered: "other-model" });
    // Served: no fallback; nothing asked for: the daemon's own first model, as chosen.
    expect((await openDaemonModel({ preferred: "third-model", env, command })).fallback).toBeUndefined();
    expect((await openDaemonModel({ env, command })).fallback).toBeUndefined();
  }, 120_000);

  it("takes a models.default alias served under its own name (a daemon started without --model serves it so) as no fallback; what it stands for still comes first", async () => {
    const { env } = await daemonServing(["other-model", "tiny"]);
    const home = env["WREN_HOME"] ?? "";
    writeFileSync(path.join(home, "config.toml"), '[models]\ndefault = "tiny"\n[models.aliases]\ntiny = "hf:org/tiny-GGUF:Q8_0"\n');
    const { config } = await loadConfig({ cwd: home, env });
    const opened = await openDaemonModel({ preferred: preferredDaemonModel(config), env, command });
    expect([opened.model.modelId, opened.fallback]).toEqual(["tiny", undefined]);

    const both = await daemonServing(["tiny", "hf:org/tiny-GGUF:Q8_0"]);
    expect((await openDaemonModel({ preferred: preferredDaemonModel(config), env: both.env, command })).model.modelId).toBe("hf:org/tiny-GGUF:Q8_0");
    // A model named for the run must be served as named.
    await expect(openDaemonModel({ ref: "hf:org/other-GGUF:Q8_0", preferred: preferredDaemonModel(config), env, command })).rejects.toMatchObject({ code: "model_not_found" });
  }, 120_000);

  it("uses the model a daemon started without --model serves from the file a models.default alias stands for, under the alias's name: the file is not added (loaded) a second time under its own", async () => {
    const env0 = home();
    const file = path.join(env0["WREN_HOME"] ?? "", "models", "tiny-q8.gguf");
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, "GGUF");
    const { env, url } = await daemonServing(["other-model", "small"], { small: file });
    writeFileSync(path.join(env["WREN_HOME"] ?? "", "config.toml"), `[models]\ndefault = "small"\n[models.aliases]\nsmall = ${JSON.stringify(file)}\n`);
    const { config } = await loadConfig({ cwd: env["WREN_HOME"] ?? "", env });
    expect(preferredDaemonModel(config)).toEqual([file, "small"]);
    const opened = await openDaemonModel({ preferred: preferredDaemonModel(config), env, command });
    expect([opened.model.modelId, opened.fallback]).toEqual(["small", undefined]);
    // Named for the run as the file (through a link too), it is the same model.
    const link = path.join(path.dirname(file), "linked.gguf");
    symlinkSync(file, link);
    expect((await openDaemonModel({ ref: link, env, command })).model.modelId).toBe("small");
    expect(await servedIds(url)).toEqual(["other-model", "small"]);

    // Another file is still added, under its own name.
    const other = path.join(path.dirname(file), "other.gguf");
    writeFileSync(other, "GGUF");
    expect((await openDaemonModel({ ref: other, env, command })).model.modelId).toBe("other");
    expect(await servedIds(url)).toEqual(["other-model", "small", "other"]);
  }, 120_000);

  it("wren run --daemon says on stderr which model answered instead of models.default, and what to do", async () => {
    const { env, pid } = await daemonServing(["other-model"]);
    writeFileSync(path.join(env["WREN_HOME"] ?? "", "config.toml"), '[models]\ndefault = "wanted-model"\n');
    const run = await wren(["run", "--daemon", "--json", "say hello"], env);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ model: { id: "other-model" } });
    expect(run.stderr).toContain(`the wren daemon (pid ${pid}) does not serve wanted-model (models.default), so its model other-model answered`);
    expect(run.stderr).toContain("wren daemon stop");
  }, 120_000);
});

import { writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { standInDaemonCommand, standInHomes, wrenFromSources } from "../../test/helpers/stand-in-daemon-homes.js";
import { loadConfig } from "../config/index.js";
import { startDaemon } from "./daemon.js";
import { openDaemonModel } from "./daemon-model.js";
import { preferredDaemonModel } from "./daemon-preferred.js";

/** The daemon's stand-in, serving the models in WREN_STAND_IN_MODELS. */
const command = standInDaemonCommand;
const home = standInHomes("wren-daemon-fallback-");
const wren = wrenFromSources;

/** A wren home whose daemon (the stand-in) serves `served` and nothing else. */
async function daemonServing(served: string[]): Promise<{ env: NodeJS.ProcessEnv; pid: number }> {
  const env = home();
  const { state } = await startDaemon({ env: { ...env, WREN_STAND_IN_MODELS: served.join(",") }, command, startTimeoutMs: 60_000 });
  return { env, pid: state.pid };
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

import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { standInDaemonCommand, standInHomes } from "../../test/helpers/stand-in-daemon-homes.js";
import { loadConfig } from "../config/index.js";
import { backgroundLocal } from "./agent-background-load.js";
import { startDaemon } from "./daemon.js";
import type { DaemonNotice } from "./daemon-notice.js";

/** The daemon's stand-in, serving the models in WREN_STAND_IN_MODELS. */
const command = standInDaemonCommand;
const freshHome = standInHomes("wren-background-load-");

/** A wren home whose user config file is `toml`; its daemon, when `served` is given, serves those models (the stand-in). */
async function home(toml: string, served?: string[]): Promise<NodeJS.ProcessEnv> {
  const env = freshHome();
  writeFileSync(path.join(env["WREN_HOME"] ?? "", "config.toml"), toml);
  if (served) await startDaemon({ env: { ...env, WREN_STAND_IN_MODELS: served.join(",") }, command, startTimeoutMs: 60_000 });
  return env;
}

/** The terminal UI's background load under `auto` with teachers, as `openRoutedModel` hands it models.default. */
async function loadInBackground(env: NodeJS.ProcessEnv, daemonCommand: string[] = command): Promise<{ modelId: string; notices: DaemonNotice[] }> {
  const { config } = await loadConfig({ cwd: env["WREN_HOME"] ?? "", env });
  const ref = config.models.default ?? "";
  const notices: DaemonNotice[] = [];
  const { loader } = backgroundLocal(
    { config, session: { id: "s1" }, offline: false, env, command: daemonCommand, onNotice: (n) => notices.push(n) },
    { ref, id: path.basename(ref).replace(/\.gguf$/i, "") },
  );
  try {
    return { modelId: (await loader.load()).model.modelId, notices };
  } finally {
    loader[Symbol.dispose]();
  }
}

describe("the terminal UI's background load of the local model through the daemon", () => {
  it("asks for models.default as the other daemon paths do: a running daemon that does not serve it answers with its first model, and says so", async () => {
    const env = await home('[models]\ndefault = "wanted-model"\n', ["other-model"]);
    const { modelId, notices } = await loadInBackground(env);
    expect(modelId).toBe("other-model");
    expect(notices).toContainEqual(expect.objectContaining({ kind: "model-fallback", asked: "wanted-model", answered: "other-model" }));
  }, 120_000);

  it("asks for what an alias stands for, and a daemon it starts is started with that", async () => {
    const aliased = '[models]\ndefault = "tiny"\n[models.aliases]\ntiny = "hf:org/tiny-GGUF:Q8_0"\n';
    const running = await home(aliased, ["other-model", "hf:org/tiny-GGUF:Q8_0"]);
    expect((await loadInBackground(running)).modelId).toBe("hf:org/tiny-GGUF:Q8_0");

    const none = await home(aliased);
    const seen = path.join(none["WREN_HOME"] ?? "", "args.json");
    // Stands in for `wren serve --daemon`: records its arguments, then exits as a daemon that cannot start.
    const script = `require("node:fs").writeFileSync(${JSON.stringify(seen)}, JSON.stringify(process.argv.slice(1))); process.exit(2)`;
    await expect(loadInBackground(none, [process.execPath, "-e", script])).rejects.toMatchObject({ code: "config_invalid" });
    expect(JSON.parse(readFileSync(seen, "utf8"))).toEqual(["serve", "--daemon", "--model", "hf:org/tiny-GGUF:Q8_0"]);
  }, 120_000);
});

import { existsSync, writeFileSync } from "node:fs";
import { createServer, type AddressInfo } from "node:net";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { standInHomes } from "../../test/helpers/stand-in-daemon-homes.js";
import { projectRoot } from "../../test/helpers/shared-models.js";
import { WrenError } from "../shared/errors.js";
import { daemonStatus, filesFor, startDaemon } from "./daemon.js";
import { openDaemonModel } from "./daemon-model.js";
import { takeStartError, writeStartError } from "./daemon-start-error.js";
import { daemonFiles } from "./daemon-state.js";

/** The real `wren serve --daemon`, run from its sources. */
const command = [process.execPath, "--import", pathToFileURL(path.join(projectRoot, "node_modules/tsx/dist/loader.mjs")).href, path.join(projectRoot, "src/bin/cli.ts")];
const homes = standInHomes("wren-daemon-start-error-");

/** A fresh wren home with no models anywhere (no Ollama, no default, no user config). */
function home(): NodeJS.ProcessEnv {
  const env = homes();
  const root = env["WREN_HOME"] ?? "";
  return { ...env, HOME: root, XDG_CONFIG_HOME: path.join(root, ".config"), OLLAMA_MODELS: path.join(root, "no-ollama"), WREN_MODELS_DEFAULT: "" };
}

const failure = (promise: Promise<unknown>): Promise<unknown> => promise.then(() => undefined, (error: unknown) => error);

describe("a daemon that cannot start on the model it was asked for", () => {
  it("says there is no such model, as wren says it without the daemon (wren -p --model local:nope)", async () => {
    const env = home();
    const error = await failure(openDaemonModel({ ref: "nope", env, command }));
    expect(error).toMatchObject({
      code: "model_not_found",
      message: 'There is no model "nope" (wren looked in its store, Ollama, LM Studio and the catalog).',
      hint: expect.stringContaining("`wren models list` shows the models here"),
    });
    expect((error as Error).message).not.toContain("daemon");
    expect((await daemonStatus({ env })).running).toBe(false);
    // What the daemon reported is read once and not left behind.
    expect(existsSync(filesFor(env).startError)).toBe(false);
  }, 120_000);

  it("says a .gguf file that is no model is none, in the words of its check", async () => {
    const env = home();
    const file = path.join(env["WREN_HOME"] ?? "", "broken.gguf");
    writeFileSync(file, "this is not a model\n");
    const error = await failure(startDaemon({ env, command, serveArgs: ["--model", file], startTimeoutMs: 90_000 }));
    expect(error).toMatchObject({ code: "model_invalid", message: expect.stringContaining(file) });
    expect((error as Error).message).not.toContain("exited during start-up");
  }, 120_000);

  it("keeps the daemon's own failure (a port in use) as the daemon's, with its log", async () => {
    // No model to resolve: a proxy to a teacher gets as far as listening.
    const env = { ...home(), WREN_ROUTER_PROXY_ONLY: "1", WREN_ROUTER_TEACHERS: "openai:gpt-4o-mini", OPENAI_API_KEY: "sk-test" };
    const busy = createServer();
    await new Promise<void>((resolve) => busy.listen(0, "127.0.0.1", resolve));
    try {
      const port = (busy.address() as AddressInfo).port;
      const error = await failure(startDaemon({ env, command, serveArgs: ["--port", String(port)], startTimeoutMs: 90_000 }));
      expect(error).toMatchObject({ code: "config_invalid", message: "The wren daemon exited during start-up (code 2).", hint: expect.stringContaining(`Cannot listen on 127.0.0.1:${port}`) });
    } finally {
      await new Promise((resolve) => busy.close(resolve));
    }
  }, 120_000);
});

describe("what a daemon reported of its failed start, as its starter reads it", () => {
  const exited = new WrenError("model_load_failed", "The wren daemon exited during start-up (code 3).", { hint: "Its log says: …", details: { daemonExitCode: 3 } });

  it("says a model too large for this machine, or one llama.cpp could not load, as wren says it without the daemon", async () => {
    const files = daemonFiles(homes()["WREN_HOME"] ?? "");
    const tooLarge = new WrenError("model_too_large", "It will not fit: big.gguf needs about 40 GB at a context of 4096 tokens, but only 8 GB of free RAM is available.", {
      hint: "Even the weights do not fit: pick a smaller model or quantisation (`wren models recommend`), or free memory.",
    });
    await writeStartError(files, "models", tooLarge);
    const said = await takeStartError(files, process.pid, exited);
    expect(said).toMatchObject({ code: "model_too_large", message: tooLarge.message, hint: tooLarge.hint, cause: exited });
    expect(existsSync(files.startError)).toBe(false);

    const notLoaded = new WrenError("model_load_failed", "llama.cpp could not load /m/odd.gguf: Failed to load model", { hint: "Check that the file is a complete GGUF model." });
    await writeStartError(files, "models", notLoaded);
    expect(await takeStartError(files, process.pid, exited)).toMatchObject({ code: "model_load_failed", message: notLoaded.message, hint: notLoaded.hint });
  });

  it("keeps the daemon's own failure outside its models (its engine, its port) as the daemon's", async () => {
    const files = daemonFiles(homes()["WREN_HOME"] ?? "");
    await writeStartError(files, "setup", new WrenError("model_load_failed", "The cuda backend of llama.cpp does not load on this machine."));
    expect(await takeStartError(files, process.pid, exited)).toBeUndefined();
    await writeStartError(files, "models", new WrenError("internal", "Something broke."));
    expect(await takeStartError(files, process.pid, exited)).toBeUndefined();
  });
});

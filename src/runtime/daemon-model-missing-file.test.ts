import { describe, expect, it } from "vitest";
import { standInDaemonCommand, standInHomes } from "../../test/helpers/stand-in-daemon-homes.js";
import { daemonStatus, startDaemon } from "./daemon.js";
import { openDaemonModel } from "./daemon-model.js";

const command = standInDaemonCommand;
const home = standInHomes("wren-daemon-missing-");

describe("a --model path with no file there, through the daemon", () => {
  it("says there is no model file at that path, not that the running daemon does not serve it", async () => {
    const env = home();
    await startDaemon({ env: { ...env, WREN_STAND_IN_MODELS: "qwen" }, command, startTimeoutMs: 60_000 });
    const missing = `${env["WREN_HOME"] ?? ""}/models/tiny-chatm.gguf`;
    const error: unknown = await openDaemonModel({ ref: missing, env, command }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "model_not_found", message: `There is no model file at ${missing}.` });
    expect((error as Error).message).not.toContain("does not serve");
  }, 90_000);

  it("starts no daemon for it", async () => {
    const env = home();
    const missing = `${env["WREN_HOME"] ?? ""}/nope.gguf`;
    const error: unknown = await openDaemonModel({ ref: missing, env, command }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "model_not_found", message: `There is no model file at ${missing}.` });
    expect((await daemonStatus({ env })).running).toBe(false);
  }, 90_000);
});

import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hasSharedModels, sharedModels } from "../../test/helpers/shared-models.js";
import { WrenError } from "../shared/errors.js";
import { LocalModelHost } from "./serve-host.js";
import { StoreModelManager, type StoreModelManagerOptions } from "./serve-model-manager.js";

/** The WrenError a call fails with (the test fails if it succeeds). */
async function refusal(call: Promise<unknown>): Promise<WrenError> {
  const error = await call.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(WrenError);
  return error as WrenError;
}

describe.runIf(hasSharedModels)("the server's model manager, before any network or engine", () => {
  let modelsDir: string;
  beforeAll(async () => {
    modelsDir = await mkdtemp(path.join(os.tmpdir(), "wren-manager-"));
  });
  afterAll(async () => {
    await rm(modelsDir, { recursive: true, force: true });
  });

  const manager = (options: Partial<StoreModelManagerOptions> = {}): { host: LocalModelHost; manager: StoreModelManager } => {
    // No engine: nothing here loads a model.
    const host = new LocalModelHost({ engine: undefined, models: [{ path: sharedModels.stories, id: "stories" }] });
    // A Hub address nothing answers: a pull that got past the checks would fail differently.
    return { host, manager: new StoreModelManager({ host, modelsDir, env: { HF_ENDPOINT: "http://127.0.0.1:9" }, allowPull: true, routerLocal: "stories", ...options }) };
  };
  const signal = new AbortController().signal;

  it("refuses pulls offline or when pulling is off, before saying it starts, and a path with what to do", async () => {
    const statuses: string[] = [];
    const offline = await refusal(manager({ offline: true }).manager.pull("hf:org/repo:Q4_K_M", { signal, onStatus: (s) => statuses.push(s) }));
    expect(offline).toMatchObject({ code: "forbidden", message: expect.stringContaining("--offline") as string });
    const off = await refusal(manager({ allowPull: false }).manager.pull("hf:org/repo:Q4_K_M", { signal, onStatus: (s) => statuses.push(s) }));
    expect(off).toMatchObject({ code: "forbidden", hint: expect.stringContaining("WREN_SERVER_ALLOW_PULL=true") as string });
    const file = await refusal(manager().manager.pull(sharedModels.chat, { signal, onStatus: (s) => statuses.push(s) }));
    expect(file).toMatchObject({ code: "bad_request", hint: expect.stringContaining("/api/create") as string });
    expect(statuses).toEqual([]);
  });

  it("a server reachable beyond this machine serves no file from its disk at a client's asking, but creates from a served model", async () => {
    const { host, manager: m } = manager({ allowFiles: false });
    await host.describe();
    for (const from of [sharedModels.chat, "/etc/passwd", "/root"]) {
      expect(await refusal(m.create("x", from))).toMatchObject({ code: "forbidden", message: expect.stringContaining("does not serve files from its disk") as string });
    }
    expect(host.resolve("x")).toBeUndefined();
    expect(await m.create("again", "stories")).toMatchObject({ id: "again" });
  });

  it("creates and copies under new names, refuses unknown sources, and never deletes the router's local model", async () => {
    const { host, manager: m } = manager();
    await host.describe();
    expect(await m.create("chat", sharedModels.chat)).toMatchObject({ id: "chat", chatTemplate: true });
    // Ollama clients send an untagged name back as NAME:latest.
    expect(host.resolve("chat:latest")?.id).toBe("chat");
    expect(host.resolve("chat:other")).toBeUndefined();
    expect(await m.copy("stories", "stories-2")).toMatchObject({ id: "stories-2", chatTemplate: false });
    expect(host.spec("stories-2")?.path).toBe(sharedModels.stories);
    expect(await refusal(m.create("x", "ghost"))).toMatchObject({ code: "model_not_found" });
    expect(await refusal(m.copy("ghost", "y"))).toMatchObject({ code: "model_not_found" });
    expect(await refusal(m.remove("stories"))).toMatchObject({ code: "bad_request", message: expect.stringContaining("router's local model") as string });
    await m.remove("stories-2");
    await m.remove("chat");
    expect(host.list().map((i) => i.id)).toEqual(["stories"]);
  });
});

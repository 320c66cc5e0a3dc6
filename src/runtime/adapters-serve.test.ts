import { execFileSync } from "node:child_process";
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { sharedModels } from "../../test/helpers/shared-models.js";
import { addAdapter, promoteAdapter, removeAdapter } from "./adapters.js";
import { ServedAdapters } from "./adapters-serve.js";

describe("the server's view of the adapter registry", () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), "wren-served-adapters-"));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("stops applying an adapter once `wren adapters rm` removed it, though it applied it before", async () => {
    const registry = path.join(dir, "adapters.json");
    const file = path.join(dir, "tales.gguf");
    copyFileSync(sharedModels.lora, file);
    await addAdapter(registry, file, { name: "tales" });
    const served = new ServedAdapters(registry);
    const base = { id: "stories", path: sharedModels.stories };
    expect((await served.spec({ name: "tales" }, base)).path).toBe(file);
    await removeAdapter(registry, "tales");
    await expect(served.spec({ name: "tales" }, base)).rejects.toThrow("No adapter named 'tales' is registered.");
  });

  it.runIf(process.platform !== "win32")("refuses an adapter file replaced by a damaged one, even with the same modification time", async () => {
    const registry = path.join(dir, "adapters.json");
    const file = path.join(dir, "tales.gguf");
    copyFileSync(sharedModels.lora, file);
    await addAdapter(registry, file, { name: "tales" });
    const served = new ServedAdapters(registry);
    const base = { id: "stories", path: sharedModels.stories };
    await served.spec({ name: "tales" }, base);
    // Rewritten in place (a copy that keeps times, a sync tool): llama.cpp must never get it unchecked.
    const times = path.join(dir, "times");
    writeFileSync(times, "");
    execFileSync("touch", ["-r", file, times]);
    writeFileSync(file, "GGUF but not really an adapter");
    execFileSync("touch", ["-r", times, file]);
    const refused = (await served.spec({ name: "tales" }, base).then(() => undefined, (error: unknown) => error)) as Error;
    expect(refused).toMatchObject({ code: "bad_request", message: expect.stringContaining("Adapter 'tales' cannot be used: its file") });
    // Said to a client, which may be on another machine: never the server's paths.
    expect(refused.message).not.toContain(dir);
  });

  it("says an adapter's file is gone without the server's path", async () => {
    const registry = path.join(dir, "adapters.json");
    const file = path.join(dir, "tales.gguf");
    copyFileSync(sharedModels.lora, file);
    await addAdapter(registry, file, { name: "tales" });
    rmSync(file);
    const refused = (await new ServedAdapters(registry).spec({ name: "tales" }, { id: "stories", path: sharedModels.stories }).then(() => undefined, (error: unknown) => error)) as Error;
    expect(refused).toMatchObject({ code: "bad_request", message: "Adapter 'tales' is registered but its file is gone." });
    expect(JSON.stringify(refused)).not.toContain(dir);
  });

  it("a damaged registry fails only requests that name an adapter: the others keep the default it had", async () => {
    const registry = path.join(dir, "adapters.json");
    const file = path.join(dir, "tales.gguf");
    copyFileSync(sharedModels.lora, file);
    await addAdapter(registry, file, { name: "tales" });
    await promoteAdapter(registry, "tales", { name: "stories", path: sharedModels.stories }, { force: true });
    const served = new ServedAdapters(registry);
    expect(await served.promotedFor(sharedModels.stories)).toEqual({ name: "tales" });
    writeFileSync(registry, '{"version": 1, "adapters": [');
    expect(await served.promotedFor(sharedModels.stories)).toEqual({ name: "tales" });
    expect(await new ServedAdapters(registry).promotedFor(sharedModels.stories)).toBeUndefined();
    await expect(served.spec({ name: "other" }, { id: "stories", path: sharedModels.stories })).rejects.toMatchObject({ code: "config_invalid", message: expect.stringContaining(registry) });
  });
});

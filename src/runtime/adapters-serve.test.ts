import { copyFileSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { sharedModels } from "../../test/helpers/shared-models.js";
import { addAdapter, removeAdapter } from "./adapters.js";
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
});

import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { defaultConfig } from "../config/index.js";
import { WrenError } from "../shared/errors.js";
import { openRoutedModel } from "./routed-run.js";

const hi = { messages: [{ role: "user" as const, content: [{ type: "text" as const, text: "hi" }] }] };

/** `wren -p --model nope`: the name reaches the router as a local model of that name, which is not there. */
describe("a --model that names no model", () => {
  let home: string;
  beforeAll(async () => {
    home = await mkdtemp(path.join(os.tmpdir(), "wren-routed-missing-"));
  });
  afterAll(async () => {
    await rm(home, { recursive: true, force: true });
  });

  it("fails with the resolver's plain words, not the router's summary of one target", async () => {
    const config = defaultConfig({ env: {} }, { models: { dir: path.join(home, "models") } });
    await using opened = openRoutedModel({ config, name: "qwen2.5-7", env: { WREN_HOME: home }, offline: true });
    const error = await opened.model.doGenerate(hi).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WrenError);
    expect(error).toMatchObject({
      code: "model_not_found",
      message: 'There is no model "qwen2.5-7" (wren looked in its store, Ollama, LM Studio and the catalog).',
      hint: "Did you mean qwen2.5-7b? Run `wren pull qwen2.5-7b`.",
    });
  });
});

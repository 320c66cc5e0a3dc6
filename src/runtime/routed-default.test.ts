import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { defaultConfig } from "../config/index.js";
import { collectStream } from "../protocol/index.js";
import { WrenError } from "../shared/errors.js";
import { defaultModel } from "./default-model.js";
import { openRoutedModel } from "./routed-run.js";

const hi = { messages: [{ role: "user" as const, content: [{ type: "text" as const, text: "hi" }] }] };

/** `wren run --model auto` with no `models.default` uses the same default model as plain `wren run`. */
describe("auto with no models.default", () => {
  let home: string;
  beforeAll(async () => {
    home = await mkdtemp(path.join(os.tmpdir(), "wren-routed-default-"));
  });
  afterAll(async () => {
    await rm(home, { recursive: true, force: true });
  });

  it("has the embedded default as its local target, and offline says how to give it a model", async () => {
    const config = defaultConfig({ env: {} });
    const embedded = defaultModel(config);
    expect(embedded.embedded).toBe(true);
    await using opened = openRoutedModel({ config, name: "auto", env: { WREN_HOME: home }, offline: true });
    expect(opened.localId).toBe(`local:${embedded.ref}`);
    // Offline and not in the store: the embedded default's own message, not "nowhere to send requests".
    const error = await collectStream(opened.model.doStream(hi)).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(WrenError);
    expect((error as WrenError).message).toContain(`wren's default model (${embedded.ref}) is not here`);
    expect((error as WrenError).hint).toContain("--model PATH");
  });

  it("a configured models.default is still the one used", async () => {
    const config = defaultConfig({ env: {} }, { models: { default: path.join(home, "mine.gguf") } });
    await using opened = openRoutedModel({ config, name: "auto", env: { WREN_HOME: home } });
    expect(opened.localId).toBe("local:mine");
  });
});

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { promoteAdapter, removeAdapter } from "../../src/runtime/adapters.js";
import { ADAPTED_TEXT, BASE_TEXT, startAdapterServer, storiesBase, type AdapterServer, type Completion } from "../helpers/adapter-server.js";
import { hasSharedModels, sharedModels } from "../helpers/shared-models.js";

describe.runIf(hasSharedModels)("wren serve applies the adapter promoted for a base model", () => {
  let served: AdapterServer;
  const complete = (model: string, headers?: Record<string, string>): Promise<Completion> => served.complete(model, headers);

  beforeAll(async () => {
    served = await startAdapterServer("wren-promoted-", [
      { path: sharedModels.stories, id: "stories", contextSize: 256, sequences: 1 },
      // Its own configured adapter wins over the promoted one.
      { path: sharedModels.stories, id: "pinned", contextSize: 256, sequences: 1, adapter: { name: "synthetic", scale: 0 } },
    ]);
  });
  afterAll(() => served?.[Symbol.asyncDispose]());

  it("applies it from the next request after wren adapters promote, with no restart, to requests that name no adapter", async () => {
    const before = await complete("stories");
    expect(before.status).toBe(200);
    expect(before.text).toContain(BASE_TEXT);
    expect(before.adapter).toBeNull();

    await promoteAdapter(served.registry, "synthetic", storiesBase, { force: true });
    const after = await complete("stories");
    expect(after.text).toContain(ADAPTED_TEXT);
    expect(after.adapter).toBe("synthetic:1");
    // A request can still ask for the base model's own text.
    const optedOut = await complete("stories", { "x-wren-adapter": "synthetic:0" });
    expect(optedOut.text).toContain(BASE_TEXT);
    // A served model with an adapter of its own keeps it.
    const pinned = await complete("pinned");
    expect(pinned.adapter).toBe("synthetic:0");
    expect(pinned.text).toContain(BASE_TEXT);
  });

  it("stops applying it once the adapter is removed from the registry", async () => {
    await removeAdapter(served.registry, "synthetic");
    const after = await complete("stories");
    expect(after.status).toBe(200);
    expect(after.text).toContain(BASE_TEXT);
    expect(after.adapter).toBeNull();
  });
});

import { randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFakeHub, type FakeHub } from "../../test/helpers/fake-hub.js";
import { readManifest } from "./manifest.js";
import { pullModel } from "./pull.js";
import { resolveModelRef } from "./resolve.js";

/** Two URLs on one host whose files share a name (`model.gguf` of two repositories) are two models. */
describe("pulling two URLs whose files have the same name", () => {
  let hub: FakeHub;
  const first = randomBytes(50_000);
  const second = randomBytes(60_000);

  beforeAll(async () => {
    hub = await startFakeHub({
      repos: {
        "alice/tiny-GGUF": { files: [{ path: "model.gguf", content: first }] },
        "bob/other-GGUF": { files: [{ path: "model.gguf", content: second }] },
      },
    });
  });
  afterAll(async () => hub.close());

  it("keeps both: the second neither overwrites the first's file nor drops it from the store", async () => {
    const modelsDir = mkdtempSync(path.join(os.tmpdir(), "wren-pull-url-"));
    const env = { HF_ENDPOINT: hub.url };
    const a = `${hub.url}/alice/tiny-GGUF/resolve/main/model.gguf`;
    const b = `${hub.url}/bob/other-GGUF/resolve/main/model.gguf`;
    const pulledA = await pullModel(a, { modelsDir, env });
    const pulledB = await pullModel(b, { modelsDir, env });
    expect(pulledB.path).not.toBe(pulledA.path);
    expect((await readManifest(modelsDir)).models.map((m) => m.ref).sort()).toEqual([a, b].sort());
    const foundA = await resolveModelRef(a, { modelsDir, env, offline: true });
    expect(readFileSync(foundA.path).equals(first)).toBe(true);
    const foundB = await resolveModelRef(b, { modelsDir, env, offline: true });
    expect(readFileSync(foundB.path).equals(second)).toBe(true);
  });
});

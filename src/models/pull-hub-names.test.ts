import { randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { WrenError } from "../shared/errors.js";
import { startFakeHub, type FakeHub } from "../../test/helpers/fake-hub.js";
import { pullModel } from "./pull.js";
import { hubModelName } from "./ref.js";
import { resolveModelRef } from "./resolve.js";

describe("Ollama's names for Hub models (hf.co/org/repo:quant)", () => {
  it("are read as Hub references; :latest is the default quantisation", () => {
    expect(hubModelName("hf.co/bartowski/Llama-3.2-1B-Instruct-GGUF:Q4_K_M")).toEqual({ kind: "hf", repo: "bartowski/Llama-3.2-1B-Instruct-GGUF", revision: undefined, quant: "Q4_K_M", file: undefined });
    expect(hubModelName("huggingface.co/org/repo")).toMatchObject({ kind: "hf", repo: "org/repo", quant: undefined });
    expect(hubModelName("HF.CO/org/repo:latest")).toMatchObject({ kind: "hf", repo: "org/repo", quant: undefined });
    expect(hubModelName("hf.co/org/repo:iq2_xxs")).toMatchObject({ quant: "iq2_xxs" });
  });

  it("a name that is not one, or would leave the repository, is not", () => {
    for (const name of ["llama3.2:3b", "hf.co/org", "hf.co/../etc:Q4_K_M", "hf.co/org/../x", "hf.co/org/repo/file.gguf", "hf.co/org/repo:", "hf.co/org/re po:Q4", "hf.co/-org/repo", "xhf.co/org/repo"]) {
      expect(hubModelName(name), name).toBeUndefined();
    }
  });

  describe("pulled and resolved", () => {
    const q8 = randomBytes(50_000);
    const q4 = randomBytes(40_000);
    let hub: FakeHub;
    let modelsDir: string;
    let env: Record<string, string>;

    beforeAll(async () => {
      hub = await startFakeHub({ repos: { "wren-test/names-GGUF": { files: [{ path: "names-Q8_0.gguf", content: q8 }, { path: "names-Q4_K_M.gguf", content: q4 }] } } });
    });
    afterAll(async () => hub.close());
    beforeEach(() => {
      modelsDir = mkdtempSync(path.join(os.tmpdir(), "wren-pull-hub-names-"));
      env = { HF_ENDPOINT: hub.url };
      hub.requests.length = 0;
    });

    it("pull hf.co/org/repo:QUANT stores it as hf:org/repo:QUANT, and the name then resolves offline", async () => {
      const result = await pullModel("hf.co/wren-test/names-GGUF:Q8_0", { modelsDir, env });
      expect(result.entry).toMatchObject({ ref: "hf:wren-test/names-GGUF:Q8_0", repoFile: "names-Q8_0.gguf" });
      expect(readFileSync(result.path).equals(q8)).toBe(true);
      const resolved = await resolveModelRef("hf.co/wren-test/names-GGUF:Q8_0", { modelsDir, env, offline: true, home: modelsDir });
      expect(resolved).toMatchObject({ path: result.path, source: "store" });
    });

    it("resolving huggingface.co/org/repo:latest pulls the Hub's default pick", async () => {
      const resolved = await resolveModelRef("huggingface.co/wren-test/names-GGUF:latest", { modelsDir, env, home: modelsDir });
      expect(resolved).toMatchObject({ ref: "hf:wren-test/names-GGUF:Q4_K_M", source: "pulled" });
      expect(readFileSync(resolved.path).equals(q4)).toBe(true);
    });

    it("offline, a missing one says which pull gets it", async () => {
      const error = await resolveModelRef("hf.co/wren-test/names-GGUF:Q8_0", { modelsDir, env, offline: true, home: modelsDir }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(WrenError);
      expect((error as WrenError).hint).toContain("wren pull hf:wren-test/names-GGUF:Q8_0");
      expect(hub.requests).toEqual([]);
    });
  });
});

import { copyFileSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { writeFakeOllamaStore } from "../../test/helpers/fake-ollama-store.js";
import { writeTruncatedGguf } from "../../test/helpers/gguf-corrupt.js";
import { syntheticModel } from "../../test/helpers/synthetic-models.js";
import { WrenError } from "../shared/errors.js";
import { sniffGgufArchitecture } from "./gguf-architecture.js";
import { inspectGgufFile } from "./gguf-check.js";
import { resolveModelRef } from "./resolve.js";

/** A GGUF header with only `general.architecture`: what a vision projector (`clip`) starts with. */
function ggufWithArchitecture(architecture: string): Buffer {
  const key = Buffer.from("general.architecture");
  const value = Buffer.from(architecture);
  const head = Buffer.alloc(24);
  head.write("GGUF", 0, "latin1");
  head.writeUInt32LE(3, 4);
  head.writeBigUInt64LE(0n, 8);
  head.writeBigUInt64LE(1n, 16);
  const entry = Buffer.alloc(8 + key.length + 4 + 8 + value.length);
  entry.writeBigUInt64LE(BigInt(key.length), 0);
  key.copy(entry, 8);
  entry.writeUInt32LE(8, 8 + key.length);
  entry.writeBigUInt64LE(BigInt(value.length), 12 + key.length);
  value.copy(entry, 20 + key.length);
  return Buffer.concat([head, entry]);
}

async function failure(promise: Promise<unknown>): Promise<WrenError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(WrenError);
  return error as WrenError;
}

describe("models other tools own", () => {
  const home = mkdtempSync(path.join(os.tmpdir(), "wren-owned-"));
  const modelsDir = path.join(home, "wren-models");
  const lmstudio = path.join(home, ".lmstudio", "models", "lmstudio-community");
  let model: string;
  let truncated: string;

  beforeAll(async () => {
    model = await syntheticModel({});
    truncated = await writeTruncatedGguf(path.join(home, "truncated.gguf"));
  });

  it("resolves an LM Studio repo to its language model, not to a non-GGUF file or a projector sorted first", async () => {
    const repo = path.join(lmstudio, "Tiny-GGUF");
    mkdirSync(repo, { recursive: true });
    writeFileSync(path.join(repo, "notgguf.gguf"), "these are notes, not a model\n");
    writeFileSync(path.join(repo, "Tiny-F16-projector.gguf"), ggufWithArchitecture("clip"));
    writeFileSync(path.join(repo, "Tiny-mmproj-f16.gguf"), ggufWithArchitecture("clip"));
    copyFileSync(model, path.join(repo, "Tiny-Q4_K_M.gguf"));
    expect(await sniffGgufArchitecture(path.join(repo, "Tiny-F16-projector.gguf"))).toBe("clip");
    expect(await sniffGgufArchitecture(path.join(repo, "Tiny-Q4_K_M.gguf"))).toBe("llama");

    const resolved = await resolveModelRef("lmstudio-community/Tiny-GGUF", { modelsDir, home, env: {}, offline: true });
    expect(resolved).toEqual({ path: path.join(repo, "Tiny-Q4_K_M.gguf"), ref: "lmstudio-community/Tiny-GGUF/Tiny-Q4_K_M.gguf", source: "lmstudio" });
    // A file named in full is the user's choice.
    const named = await resolveModelRef("lmstudio-community/Tiny-GGUF/notgguf.gguf", { modelsDir, home, env: {}, offline: true });
    expect(named.path).toBe(path.join(repo, "notgguf.gguf"));
  });

  it("says to download a damaged LM Studio model again in LM Studio, not with wren pull", async () => {
    const repo = path.join(lmstudio, "Broken-GGUF");
    mkdirSync(repo, { recursive: true });
    copyFileSync(truncated, path.join(repo, "Broken-Q4_K_M.gguf"));
    const resolved = await resolveModelRef("lmstudio-community/Broken-GGUF", { modelsDir, home, env: {}, offline: true });
    expect(resolved.source).toBe("lmstudio");
    const error = await failure(inspectGgufFile(resolved.path, { home, env: {} }));
    expect(error.code).toBe("model_invalid");
    expect(error.message).toContain("truncated");
    expect(error.hint).toContain("belongs to LM Studio");
    expect(error.hint).toContain("download the model again in LM Studio");
    expect(error.hint).not.toContain("wren pull");

    const notGguf = await failure(inspectGgufFile(path.join(lmstudio, "Tiny-GGUF", "notgguf.gguf"), { home, env: {} }));
    expect(notGguf.hint).toContain("LM Studio");
    expect(notGguf.hint).not.toContain("wren pull");
  });

  it("says the same of a damaged Ollama model, and keeps `wren pull` for a file that is no other tool's", async () => {
    const blobs = writeFakeOllamaStore(path.join(home, ".ollama", "models"), [{ name: "broken", source: truncated }]);
    const resolved = await resolveModelRef("broken", { modelsDir, home, env: {}, offline: true });
    expect(resolved).toMatchObject({ path: blobs["broken:latest"], source: "ollama" });
    const error = await failure(inspectGgufFile(resolved.path, { home, env: {} }));
    expect(error.hint).toContain("belongs to Ollama");
    expect(error.hint).not.toContain("wren pull");

    const own = await failure(inspectGgufFile(truncated, { home, env: {} }));
    expect(own.hint).toContain("wren pull");
  });
});

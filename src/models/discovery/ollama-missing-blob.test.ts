import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { WrenError } from "../../shared/errors.js";
import { runCli } from "../../../test/helpers/cli.js";
import { writeFakeOllamaStore } from "../../../test/helpers/fake-ollama-store.js";
import { listModels } from "../listing.js";
import { resolveModelRef } from "../resolve.js";

/**
 * An Ollama model whose blob was deleted (by hand, a disk cleaner, a half-finished `ollama rm`) while
 * its manifest stayed: listed as missing, and a run of it says to download it again with Ollama,
 * rather than vanishing from the list and being offered `wren pull`.
 */
describe("an Ollama model whose blob is gone", () => {
  function homeWithLostBlob(): string {
    const home = mkdtempSync(path.join(os.tmpdir(), "wren-ollama-lost-"));
    const source = path.join(home, "weights.gguf");
    writeFileSync(source, "GGUF weights that are about to be deleted");
    const blobs = writeFakeOllamaStore(path.join(home, ".ollama", "models"), [{ name: "tinyllama", tag: "1b", source }]);
    rmSync(blobs["tinyllama:1b"] ?? "");
    return home;
  }

  it("is listed with status missing and the ollama pull that brings it back", async () => {
    const home = homeWithLostBlob();
    const { models } = await listModels({ modelsDir: path.join(home, "models"), home, env: {}, remote: false });
    const lost = models.find((m) => m.name === "tinyllama:1b");
    expect(lost).toMatchObject({ source: "ollama", status: "missing" });
    expect(lost?.problem).toContain("`ollama pull tinyllama:1b`");
  });

  it("run by name, says to run ollama pull, not wren pull", async () => {
    const home = homeWithLostBlob();
    const error = await resolveModelRef("tinyllama:1b", { modelsDir: path.join(home, "models"), home, env: {} }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WrenError);
    expect((error as WrenError).code).toBe("model_not_found");
    expect((error as WrenError).message).toContain("Ollama's model tinyllama:1b");
    expect((error as WrenError).hint).toContain("`ollama pull tinyllama:1b`");
    expect((error as WrenError).hint).not.toContain("wren pull");
  });

  it("wren models list shows it as missing, and wren run says to ollama pull it (exit 3)", async () => {
    const home = homeWithLostBlob();
    const env = { HOME: home, WREN_HOME: path.join(home, "wren"), OLLAMA_HOST: "127.0.0.1:9" };
    const listed = await runCli(["models", "list"], { env });
    expect(listed.code).toBe(0);
    expect(listed.stdout).toMatch(/^tinyllama:1b .* ollama +missing$/m);
    expect(listed.stdout).toMatch(/^\s*tinyllama:1b: .*ollama pull tinyllama:1b/m);
    const run = await runCli(["run", "--model", "tinyllama:1b", "hello"], { env });
    expect(run.stderr).toContain("ollama pull tinyllama:1b");
    expect(run.stderr).not.toContain("wren pull");
    expect(run.code).toBe(3);
  }, 60_000);

  it("is found by Ollama's full name too (library/NAME:TAG), with the same advice, as a present model is", async () => {
    const home = homeWithLostBlob();
    const source = path.join(home, "present.gguf");
    writeFileSync(source, "GGUF weights still in place");
    const blobs = writeFakeOllamaStore(path.join(home, ".ollama", "models"), [{ name: "present", tag: "1b", source }]);
    const present = await resolveModelRef("library/present:1b", { modelsDir: path.join(home, "models"), home, env: {} });
    expect(present).toEqual({ path: blobs["present:1b"], ref: "present:1b", source: "ollama" });
    const error = await resolveModelRef("library/tinyllama:1b", { modelsDir: path.join(home, "models"), home, env: {} }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "model_not_found", hint: expect.stringContaining("`ollama pull tinyllama:1b`") });
  });
});

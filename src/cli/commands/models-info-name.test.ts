import { createHash } from "node:crypto";
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { capturePrinted, type Printed } from "../../../test/helpers/printed.js";
import { syntheticModel } from "../../../test/helpers/synthetic-models.js";
import { putEntry } from "../../models/manifest.js";
import { main } from "../main.js";

const REPO = "wren-test/tiny-GGUF";
const REF = `hf:${REPO}:Q8_0`;

let home: string;
let modelsDir: string;
let printed: Printed;

beforeEach(async () => {
  home = mkdtempSync(path.join(os.tmpdir(), "wren-models-info-name-"));
  modelsDir = path.join(home, "models");
  vi.stubEnv("WREN_HOME", home);
  vi.stubEnv("HOME", home);
  vi.stubEnv("XDG_CONFIG_HOME", path.join(home, ".config"));
  vi.stubEnv("OLLAMA_HOST", "http://127.0.0.1:9");
  vi.spyOn(process, "cwd").mockReturnValue(home);
  // A file whose own general.name is not what wren knows it by, as a Hub model's often is.
  const source = await syntheticModel({ name: "Internal Base Model" });
  const file = `hf/${REPO}/tiny-Q8_0.gguf`;
  mkdirSync(path.join(modelsDir, "hf", REPO), { recursive: true });
  copyFileSync(source, path.join(modelsDir, file));
  await putEntry(modelsDir, {
    ref: REF, file, parts: [], size: statSync(source).size, sha256: createHash("sha256").update(readFileSync(source)).digest("hex"), partSha256: [],
    revision: "0123456789abcdef0123456789abcdef01234567", source: "hf", repo: REPO, repoFile: "tiny-Q8_0.gguf", quant: "Q8_0", added: "2026-01-01T00:00:00.000Z", lastUsed: null,
  });
  printed = capturePrinted();
});
afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
  rmSync(home, { recursive: true, force: true });
});

describe("wren models info", () => {
  it("names the model as wren knows it, the file's own name only as a labelled extra", async () => {
    expect(await main(["models", "info", REF, "--models-dir", modelsDir]), printed.err).toBe(0);
    const rows = printed.out.split("\n");
    expect(rows[0]).toMatch(new RegExp(`^Model: +${REF.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")} \\(store\\)$`));
    expect(rows[1]).toMatch(/^Name in file: +Internal Base Model$/);
    expect(printed.out.match(/Internal Base Model/g)).toHaveLength(1);
  });
});

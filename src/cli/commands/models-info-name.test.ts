import { createHash } from "node:crypto";
import { copyFileSync, mkdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { beforeEach, describe, expect, it } from "vitest";
import { syntheticModel } from "../../../test/helpers/synthetic-models.js";
import { useTempHome } from "../../../test/helpers/temp-home.js";
import { putEntry } from "../../models/manifest.js";
import { main } from "../main.js";

const REPO = "wren-test/tiny-GGUF";
const REF = `hf:${REPO}:Q8_0`;

const temp = useTempHome("wren-models-info-name-", { env: { OLLAMA_HOST: "http://127.0.0.1:9" } });
let modelsDir: string;

beforeEach(async () => {
  modelsDir = path.join(temp.home, "models");
  // A file whose own general.name is not what wren knows it by, as a Hub model's often is.
  const source = await syntheticModel({ name: "Internal Base Model" });
  const file = `hf/${REPO}/tiny-Q8_0.gguf`;
  mkdirSync(path.join(modelsDir, "hf", REPO), { recursive: true });
  copyFileSync(source, path.join(modelsDir, file));
  await putEntry(modelsDir, {
    ref: REF, file, parts: [], size: statSync(source).size, sha256: createHash("sha256").update(readFileSync(source)).digest("hex"), partSha256: [],
    revision: "0123456789abcdef0123456789abcdef01234567", source: "hf", repo: REPO, repoFile: "tiny-Q8_0.gguf", quant: "Q8_0", added: "2026-01-01T00:00:00.000Z", lastUsed: null,
  });
});

describe("wren models info", () => {
  it("names the model as wren knows it, the file's own name only as a labelled extra", async () => {
    expect(await main(["models", "info", REF, "--models-dir", modelsDir]), temp.printed.err).toBe(0);
    const rows = temp.printed.out.split("\n");
    expect(rows[0]).toMatch(new RegExp(`^Model: +${REF.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")} \\(store\\)$`));
    expect(rows[1]).toMatch(/^Name in file: +Internal Base Model$/);
    expect(temp.printed.out.match(/Internal Base Model/g)).toHaveLength(1);
  });
});

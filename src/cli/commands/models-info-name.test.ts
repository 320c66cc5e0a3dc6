import { createHash } from "node:crypto";
import { copyFileSync, mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
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

  it("shows the file's own name with its control characters written out: a downloaded file cannot drive the terminal", async () => {
    const source = await syntheticModel({ name: "Base\x1b]52;c;cm0gLXJm\x07\r\x1b[2KOK\u202e" });
    copyFileSync(source, path.join(modelsDir, `hf/${REPO}/tiny-Q8_0.gguf`));
    temp.printed.out = "";
    await main(["models", "info", path.join(modelsDir, `hf/${REPO}/tiny-Q8_0.gguf`), "--models-dir", modelsDir]);
    expect(temp.printed.out, temp.printed.err).toContain("Base\\x1b]52;c;cm0gLXJm\\x07\\r\\x1b[2KOK\\u202e");
    expect(temp.printed.out).not.toMatch(/[^\P{Cc}\n\t]/u);
  });

  /** `wren ARGS --json`'s output, parsed. */
  async function json(args: string[]): Promise<Record<string, unknown>> {
    temp.printed.out = "";
    expect(await main([...args, "--json", "--models-dir", modelsDir]), temp.printed.err).toBe(0);
    return JSON.parse(temp.printed.out) as Record<string, unknown>;
  }

  it("--json names it as wren models list --json does, the file's own name as nameInFile", async () => {
    const listed = (await json(["models", "list"]))["models"] as Array<{ name: string }>;
    expect(listed.map((m) => m.name)).toEqual([REF]);
    const info = await json(["models", "info", REF]);
    expect(info).toMatchObject({ name: REF, ref: REF, source: "store", nameInFile: "Internal Base Model" });
    expect(info["alias"]).toBeUndefined();
  });

  it("names a model given by an alias by the alias, in JSON and text alike, with the model it stands for", async () => {
    writeFileSync(path.join(temp.home, "config.toml"), `[models.aliases]\ntiny = ${JSON.stringify(REF)}\n`);
    expect(await json(["models", "info", "tiny"])).toMatchObject({ name: "tiny", alias: "tiny", ref: REF, source: "store", nameInFile: "Internal Base Model" });
    temp.printed.out = "";
    expect(await main(["models", "info", "tiny", "--models-dir", modelsDir]), temp.printed.err).toBe(0);
    expect(temp.printed.out.split("\n")[0]).toMatch(new RegExp(`^Model: +tiny \\(alias of ${REF.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}, store\\)$`));
  });

  it("names a GGUF file given by its path by its file name, as wren serve --model FILE serves it, in JSON and text alike", async () => {
    const file = path.join(temp.home, "Tiny-Chat.Q8_0.gguf");
    copyFileSync(await syntheticModel({ name: "Internal Base Model" }), file);
    expect(await json(["models", "info", file])).toMatchObject({ name: "Tiny-Chat.Q8_0", ref: file, source: "path", path: file, nameInFile: "Internal Base Model" });
    temp.printed.out = "";
    expect(await main(["models", "info", file, "--models-dir", modelsDir]), temp.printed.err).toBe(0);
    const rows = temp.printed.out.split("\n");
    expect(rows[0]).toMatch(/^Model: +Tiny-Chat\.Q8_0 \(path\)$/);
    expect(rows.filter((row) => row.endsWith(` ${file}`))).toEqual([expect.stringMatching(/^File: +\//)]);
  });

  it("gives nameInFile as null for a file with no general.name", async () => {
    const file = path.join(temp.home, "nameless.gguf");
    copyFileSync(await syntheticModel({ omitKeys: ["general.name"] }), file);
    expect(await json(["models", "info", file])).toMatchObject({ name: "nameless", nameInFile: null });
  });
});

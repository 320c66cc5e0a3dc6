import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { checkConfigFile, configJsonSchema, DOCS_CONTEXT, envVarName, renderConfigDocs } from "./index.js";
import { leafKeys } from "./schema-walk.js";

const docsFile = new URL("../../docs/configuration.md", import.meta.url);
const BEGIN = "<!-- BEGIN GENERATED: config keys -->\n";
const END = "<!-- END GENERATED: config keys -->";

describe("docs/configuration.md", () => {
  it("holds the key reference generated from the schema (UPDATE_DOCS=1 rewrites it)", async () => {
    const doc = await readFile(docsFile, "utf8");
    const start = doc.indexOf(BEGIN);
    const end = doc.indexOf(END);
    expect(start, "the BEGIN marker").toBeGreaterThanOrEqual(0);
    expect(end, "the END marker").toBeGreaterThan(start);
    const generated = renderConfigDocs(configJsonSchema(DOCS_CONTEXT));
    const current = doc.slice(start + BEGIN.length, end);
    if (process.env["UPDATE_DOCS"] && current !== generated) {
      await writeFile(docsFile, doc.slice(0, start + BEGIN.length) + generated + doc.slice(end));
      return;
    }
    expect(current, "docs/configuration.md is stale: run UPDATE_DOCS=1 npx vitest run src/config/docs.test.ts").toBe(generated);
  });

  it("mentions every key of the schema and its environment variable", async () => {
    const doc = await readFile(docsFile, "utf8");
    for (const leaf of leafKeys(configJsonSchema(DOCS_CONTEXT))) {
      const [section, ...rest] = leaf.path;
      const key = rest.join(".");
      expect(doc, `section ${String(section)}`).toContain(`\`[${String(section)}]\``);
      expect(doc, `key ${leaf.path.join(".")}`).toContain(`| \`${String(key)}\` |`);
      expect(doc).toContain(envVarName(leaf.path));
    }
  });

  it("documents the layer order", async () => {
    const doc = await readFile(docsFile, "utf8");
    expect(doc).toContain("**defaults < user file < project file < environment variables < command-line flags**");
  });

  it("shows an example that is a valid config file", async () => {
    const doc = await readFile(docsFile, "utf8");
    const example = /```toml\n([\s\S]*?)```/.exec(doc)?.[1];
    expect(example).toContain("[engine]");
    const dir = await mkdtemp(path.join(os.tmpdir(), "wren-docs-"));
    try {
      const file = path.join(dir, "wren.toml");
      await writeFile(file, example ?? "");
      expect(await checkConfigFile(file)).toEqual([]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

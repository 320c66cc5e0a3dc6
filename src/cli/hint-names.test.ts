import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { Command } from "commander";
import { describe, expect, it } from "vitest";
import { configJsonSchema, DOCS_CONTEXT, envVarName } from "../config/index.js";
import { leafKeys } from "../config/schema-walk.js";
import { buildProgram } from "./main.js";

/**
 * Every hint that names an environment variable, a flag or a config key must name a real one: a
 * user who follows a hint to `WREN_API_KEY` when only `WREN_SERVER_API_KEY` works is stuck. The
 * hints are collected from the source, so a new hint is checked without anyone listing it here.
 */

const srcDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return entry.name.endsWith(".ts") && !entry.name.endsWith(".test.ts") ? [full] : [];
  });
}

const STRING_LITERAL = /"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'|`(?:[^`\\]|\\.)*`/g;

/** The text of each `hint:` value: its string literals, up to the next property or closing brace. */
function hintsIn(file: string): { where: string; text: string }[] {
  const source = readFileSync(file, "utf8");
  const found: { where: string; text: string }[] = [];
  for (const match of source.matchAll(/\bhint:\s*/g)) {
    const rest = source.slice(match.index + match[0].length);
    const end = rest.search(/,\s*\n\s*[A-Za-z.]+[:(]|\n\s*[}\]]|\}\s*\)+;/);
    const value = end < 0 ? rest : rest.slice(0, end);
    const literals = value.match(STRING_LITERAL) ?? [];
    if (literals.length === 0) continue;
    const line = source.slice(0, match.index).split("\n").length;
    // `${…}` in a template literal is code (`${server.name}`), not text a user reads as written.
    const text = literals.map((l) => l.slice(1, -1).replace(/\$\{[^}]*\}/g, "…")).join(" ");
    found.push({ where: `${path.relative(srcDir, file)}:${line}`, text });
  }
  return found;
}

/** Variables wren reads itself (`env["WREN_HOME"]`), outside the config layer. */
function variablesReadInSource(files: string[]): Set<string> {
  const names = new Set<string>();
  for (const file of files) {
    const source = readFileSync(file, "utf8");
    for (const m of source.matchAll(/\[\s*"(WREN_[A-Z0-9_]+)"\s*\]/g)) names.add(m[1]!);
  }
  return names;
}

function longOptions(command: Command, into = new Set<string>(["--help", "--version"])): Set<string> {
  for (const option of command.options) if (option.long) into.add(option.long);
  for (const sub of command.commands) longOptions(sub, into);
  return into;
}

const files = sourceFiles(srcDir);
const hints = files.flatMap(hintsIn);
const schema = configJsonSchema(DOCS_CONTEXT);
const keyPaths = leafKeys(schema).map((leaf) => leaf.path);
const configVariables = new Set(keyPaths.map((p) => envVarName(p)));
const sourceVariables = variablesReadInSource(files);
const sections = new Set(Object.keys(schema.properties ?? {}));
const dottedKeys = new Set(keyPaths.flatMap((p) => p.map((_, i) => p.slice(0, i + 1).join("."))));
const flags = longOptions(buildProgram());

describe("hints name real variables, flags and config keys", () => {
  it("finds the hints (the collector still works)", () => {
    expect(hints.length).toBeGreaterThan(100);
    expect(hints.some((h) => h.text.includes("--api-key"))).toBe(true);
  });

  it("every WREN_ variable in a hint is a config variable or one wren reads", () => {
    const wrong = hints.flatMap((h) =>
      [...h.text.matchAll(/\bWREN_[A-Z0-9_]*[A-Z0-9]/g)]
        .map((m) => m[0])
        .filter((name) => !configVariables.has(name) && !sourceVariables.has(name))
        .map((name) => `${h.where}: ${name}`),
    );
    expect(wrong).toEqual([]);
  });

  it("every --flag in a hint about wren is an option of some wren command", () => {
    // Hints that quote another tool's command line (`npm install --save`) are not wren's flags.
    const aboutWren = hints.filter((h) => !/\b(npm|npx|git|pip|brew|apt|cmake|huggingface-cli)\s/.test(h.text));
    const wrong = aboutWren.flatMap((h) =>
      // A flag right after a slash command (`/plan --critique`) is the terminal UI's, not the CLI's.
      [...h.text.matchAll(/(?<![\w-])(?<!\/[a-z]+ )--[a-z][a-z0-9-]*/g)]
        .map((m) => m[0])
        .filter((flag) => !flags.has(flag))
        .map((flag) => `${h.where}: ${flag}`),
    );
    expect(wrong).toEqual([]);
  });

  it("every section.key in a hint is a config key", () => {
    const wrong = hints.flatMap((h) =>
      [...h.text.matchAll(/(?<![\w./-])([a-z][a-zA-Z]*)((?:\.[a-zA-Z][a-zA-Z0-9]*)+)(?![\w/(-])/g)]
        .filter((m) => sections.has(m[1]!))
        .map((m) => `${m[1]}${m[2]}`.replace(/\.$/, ""))
        .filter((key) => !dottedKeys.has(key))
        .map((key) => `${h.where}: ${key}`),
    );
    expect(wrong).toEqual([]);
  });

  it("would catch the hint that named WREN_API_KEY for the server key", () => {
    expect(configVariables.has("WREN_SERVER_API_KEY")).toBe(true);
    expect(configVariables.has("WREN_API_KEY") || sourceVariables.has("WREN_API_KEY")).toBe(false);
    expect(sourceVariables.has("WREN_HOME")).toBe(true);
  });
});

import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { Command } from "commander";
import { describe, expect, it } from "vitest";
import { checkConfigFile, configJsonSchema, DOCS_CONTEXT, envVarName } from "../config/index.js";
import { leafKeys } from "../config/schema-walk.js";
import { buildProgram } from "./main.js";

/**
 * Every `wren …` command line in README.md and docs/ names commands, subcommands and flags that
 * exist, on the command the line gives them to: a user who copies `wren models info REF --context N`
 * from the docs must not meet "unknown option". Lines come from code spans and code blocks.
 */

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
const docFiles = ["README.md", ...readdirSync(path.join(root, "docs")).filter((f) => f.endsWith(".md")).map((f) => `docs/${f}`)];

/** Text in code spans and code blocks: where the docs write what a user types. */
function codeLines(text: string): string[] {
  const blocks = [...text.matchAll(/```[^\n]*\n([\s\S]*?)```/g)].flatMap((m) => m[1]!.split("\n"));
  const spans = [...text.replace(/```[\s\S]*?```/g, "").matchAll(/`([^`\n]+)`/g)].map((m) => m[1]!);
  return [...blocks, ...spans];
}

/** The words of each `wren …` invocation on a line: quoted arguments dropped, up to `--`, a pipe, `;`, `#` or `&&`. */
function invocations(line: string): string[][] {
  const unquoted = line.replace(/"(?:[^"\\]|\\.)*"|'[^']*'/g, "ARG");
  return [...unquoted.matchAll(/(?:^|[\s(;&|$])(?:npx )?wren((?: +[^\s|;&)#`<>]+)*)/g)].map((m) => {
    const words = m[1]!.trim().split(/\s+/).filter(Boolean);
    const end = words.indexOf("--");
    return end < 0 ? words : words.slice(0, end);
  });
}

/** Prose that starts with "wren" in a code span but is output, not a command line. */
const NOT_COMMAND_LINES = [/^wren daemon already running/, /^The wren daemon exited during start-up/];

function check(program: Command, words: readonly string[]): string[] {
  const problems: string[] = [];
  let command = program;
  const name = ["wren"];
  let i = 0;
  for (; i < words.length; i++) {
    const word = words[i]!;
    if (word.startsWith("-")) break;
    const sub = command.commands.find((c) => c.name() === word);
    if (!sub) {
      // A command with subcommands and no arguments of its own takes only a subcommand here.
      if (command.commands.length > 0 && command.registeredArguments.length === 0 && /^[a-z][a-z-]*$/.test(word)) {
        problems.push(`${name.join(" ")} has no subcommand "${word}"`);
      }
      break;
    }
    command = sub;
    name.push(word);
  }
  for (const word of words.slice(i)) {
    const flag = /^(--?[a-zA-Z][\w-]*)/.exec(word)?.[1];
    if (flag === undefined || flag === "--help" || flag === "-h") continue;
    let owner: Command | null = command;
    let known = false;
    // Options of the command and of the commands above it (`wren -p --model` is the root's).
    while (owner && !known) {
      known = owner.options.some((o) => o.long === flag || o.short === flag);
      owner = owner.parent;
    }
    if (!known) problems.push(`${name.join(" ")} has no option ${flag}`);
  }
  return problems;
}

describe("command lines in README.md and docs/ name real commands and flags", () => {
  const program = buildProgram();
  const found = docFiles.flatMap((file) =>
    codeLines(readFileSync(path.join(root, file), "utf8"))
      .filter((line) => !NOT_COMMAND_LINES.some((re) => re.test(line.trim())))
      .flatMap((line) => invocations(line).map((words) => ({ file, line: line.trim(), words }))),
  );

  it("finds the command lines (the collector still works)", () => {
    expect(found.length).toBeGreaterThan(100);
    expect(found.some((f) => f.file === "README.md" && f.words.join(" ") === "models info qwen2.5-0.5b --context 8192")).toBe(true);
  });

  it("every command, subcommand and flag of them exists where the line uses it", () => {
    const wrong = found.flatMap((f) => check(program, f.words).map((problem) => `${f.file}: ${problem} (in: ${f.line})`));
    expect([...new Set(wrong)]).toEqual([]);
  });

  it("would catch a flag given to the wrong command and a subcommand that does not exist", () => {
    expect(check(program, ["models", "info", "REF", "--vs", "URL"])).toEqual(["wren models info has no option --vs"]);
    expect(check(program, ["daemon", "restart"])).toEqual(['wren daemon has no subcommand "restart"']);
    expect(check(program, ["-p", "--output-format", "json"])).toEqual([]);
  });
});

/** Every file's text under `dir` with one of `extensions`, for the variables the code reads. */
function sourceText(dir: string, extensions: readonly string[]): string {
  return readdirSync(dir, { withFileTypes: true })
    .map((entry) => {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) return entry.name === "node_modules" ? "" : sourceText(full, extensions);
      return extensions.some((ext) => entry.name.endsWith(ext)) ? readFileSync(full, "utf8") : "";
    })
    .join("\n");
}

describe("environment variables in README.md and docs/", () => {
  it("are config variables, or ones wren, its bench or its tests read", () => {
    const config = new Set(leafKeys(configJsonSchema(DOCS_CONTEXT)).map((leaf) => envVarName(leaf.path)));
    const code = ["src", "bench", "test", "scripts"].map((dir) => sourceText(path.join(root, dir), [".ts", ".mjs", ".cjs", ".cts"])).join("\n");
    const wrong = docFiles.flatMap((file) =>
      [...readFileSync(path.join(root, file), "utf8").matchAll(/\bWREN_[A-Z0-9_]*[A-Z0-9]\b/g)]
        .map((m) => m[0])
        // `keyEnv = "WREN_KEY_ALICE"`: a variable the user names for a client key.
        .filter((name) => !name.startsWith("WREN_KEY_") && !config.has(name) && !new RegExp(`\\b${name}\\b`).test(code))
        .map((name) => `${file}: ${name}`),
    );
    expect([...new Set(wrong)]).toEqual([]);
  });
});

describe("TOML examples in README.md and docs/", () => {
  it("pass `wren config validate`, but for settings files ([ui], [permissions]: settings.toml, not config)", async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "wren-doc-toml-"));
    try {
      const examples = docFiles.flatMap((file) =>
        [...readFileSync(path.join(root, file), "utf8").matchAll(/```toml\n([\s\S]*?)```/g)].map((m, i) => ({ file, i, text: m[1]! })),
      );
      expect(examples.length).toBeGreaterThan(10);
      const wrong: string[] = [];
      for (const { file, i, text } of examples) {
        const tables = [...text.matchAll(/^\[\[?([a-z]+)/gm)].map((m) => m[1]!);
        if (tables.length > 0 && tables.every((t) => t === "ui" || t === "permissions")) continue;
        const toml = path.join(dir, `${path.basename(file)}-${i}.toml`);
        writeFileSync(toml, text);
        // Machine-dependent bounds (engine.threads) are the docs' own, as `wren config validate` reads them on a big machine.
        const problems = await checkConfigFile(toml, { home: dir, availableParallelism: 256, env: {} });
        wrong.push(...problems.map((p) => `${file} (TOML example ${i + 1}): ${p.key ?? ""} ${p.message}`));
      }
      expect(wrong).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCommandAnalyzer, type CommandAnalyzer } from "./command-parts.js";
import { LITERAL_TILDE } from "./command-pattern.js";

/**
 * Whether a `~` is the home or the text `~` is bash's to say: each word below is given to bash and
 * to wren, and wren marks a `~` as the text exactly where bash left it as it is.
 */
describe("a ~ is the text ~ in a command part exactly where bash leaves it as it is", () => {
  let commands: CommandAnalyzer;
  let home: string;
  beforeAll(async () => {
    commands = await createCommandAnalyzer();
    home = mkdtempSync(path.join(os.tmpdir(), "wren-tilde-"));
  });
  afterAll(() => {
    commands.dispose();
    rmSync(home, { recursive: true, force: true });
  });

  const bashSays = (line: string): string => execFileSync("bash", ["-c", line], { encoding: "utf8", env: { PATH: process.env["PATH"] ?? "", HOME: home }, cwd: home });

  it.each(["~/x", '"~/x"', "'~/x'", "\\~/x", '"~"/x', "'~'/x", "~", '"~"', "$'~/x'", '""~/x', '~"/x"', '~""', '~"bob"/x', "~/'x'"])("a word %s", (word) => {
    const literal = bashSays(`printf %s ${word}`).startsWith("~");
    const part = commands.breakdown(`printf %s ${word}`, { cwd: home, home }).parts[0];
    expect(part?.text.includes(LITERAL_TILDE), part?.text).toBe(literal);
    const said = bashSays(`printf %s ${word}`);
    expect(part?.text.replace(LITERAL_TILDE, "")).toBe(`printf %s ${literal ? said : said.replace(home, "~")}`);
  });

  it.each(['FOO="~/x"', "FOO=~/x", "FOO='~'/x", "FOO=\\~/x", 'FOO=~"/x"', 'FOO=""~/x', "FOO=~/'x'"])("an assignment: export %s", (assignment) => {
    const literal = bashSays(`export ${assignment}; printf %s "$FOO"`).startsWith("~");
    const part = commands.breakdown(`export ${assignment}`, { cwd: home, home }).parts[0];
    expect(part?.text.includes(LITERAL_TILDE), part?.text).toBe(literal);
  });
});

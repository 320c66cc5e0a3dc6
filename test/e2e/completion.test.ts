import { spawnSync } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli.js";

/**
 * `wren completion SHELL`: each script parses in its own shell, and bash's really completes, run
 * with the script sourced and the completion function called as bash calls it on Tab.
 */
describe("wren completion", () => {
  let dir: string;
  const scripts: Record<string, string> = {};
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), "wren-completion-"));
    for (const shell of ["bash", "zsh", "fish", "powershell"]) {
      const r = await runCli(["completion", shell]);
      expect(r.code, r.stderr).toBe(0);
      scripts[shell] = path.join(dir, `wren.${shell}`);
      await writeFile(scripts[shell], r.stdout);
    }
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const parses = (command: string, args: string[]) => {
    const r = spawnSync(command, args, { encoding: "utf8" });
    expect(r.error, `${command} must be installed to check its completion script`).toBeUndefined();
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
  };
  it("bash: bash -n accepts the script", () => parses("bash", ["-n", scripts["bash"]!]));
  it("zsh: zsh -n accepts the script", () => parses("zsh", ["-n", scripts["zsh"]!]));
  it("fish: fish --no-execute accepts the script", () => parses("fish", ["--no-execute", scripts["fish"]!]));

  /** What `_wren` puts in COMPREPLY for a command line whose last word is being completed. */
  const complete = (...words: string[]): string[] => {
    const quoted = words.map((w) => `'${w}'`).join(" ");
    const r = spawnSync("bash", ["--norc", "-c", `source '${scripts["bash"]}'; COMP_WORDS=(${quoted}); COMP_CWORD=${words.length - 1}; _wren; printf '%s\\n' "\${COMPREPLY[@]}"`], {
      encoding: "utf8",
    });
    expect(r.stderr).toBe("");
    return r.stdout.split("\n").filter(Boolean);
  };

  it("bash completes wren mo<TAB> to models", () => {
    expect(complete("wren", "mo")).toEqual(["models"]);
  });

  it("bash completes subcommands, past flags, and flags of the command at hand", () => {
    expect(complete("wren", "models", "--offline", "l")).toEqual(["list"]);
    expect(complete("wren", "completion", "")).toEqual(["bash", "zsh", "fish", "powershell"]);
    expect(complete("wren", "pull", "--u")).toEqual(["--update"]);
    expect(complete("wren", "pull", "qwen2.5-0")).toEqual(["qwen2.5-0.5b"]);
  });

  it("powershell: registers a native completer that knows every command path", async () => {
    const { readFile } = await import("node:fs/promises");
    const text = await readFile(scripts["powershell"]!, "utf8");
    expect(text).toContain("Register-ArgumentCompleter -Native -CommandName wren -ScriptBlock {");
    expect(text).toMatch(/^ {4}'' = @\(.*'models'.*'setup'.*'completion'/m);
    expect(text).toMatch(/^ {4}'models list' = @\(.*'--json'/m);
    // Every brace and parenthesis opened is closed, outside quoted strings.
    const code = text.replace(/'(?:[^']|'')*'|"[^"]*"/g, "''").replace(/#.*$/gm, "");
    for (const [open, close] of [["{", "}"], ["(", ")"]] as const) expect(code.split(open).length, `${open} balanced`).toBe(code.split(close).length);
  });

  it("an unknown shell is a usage error naming the choices", async () => {
    const r = await runCli(["completion", "tcsh"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("bash, zsh, fish, powershell");
  });
});

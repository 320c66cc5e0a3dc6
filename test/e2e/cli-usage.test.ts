import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli.js";
import { startWrenPty } from "../helpers/pty-terminal.js";
import { sharedModels } from "../helpers/shared-models.js";

/** A new user's slips at the command line, each met by a real `wren` process without a terminal. */
const home = mkdtempSync(path.join(os.tmpdir(), "wren-usage-"));
const env = { HOME: home, WREN_HOME: home, XDG_CONFIG_HOME: "", XDG_DATA_HOME: "", XDG_CACHE_HOME: "", HF_ENDPOINT: "http://127.0.0.1:9" };
afterAll(() => rmSync(home, { recursive: true, force: true }));

describe("assistant options typed before a command's name", () => {
  it("refuses `wren --model FILE run`, saying where --model goes, instead of dropping it and fetching the default model", async () => {
    const result = await runCli(["--model", sharedModels.chat, "run", "hi"], { env, cwd: home });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--model before "run" is an option of the assistant (wren -p), not of wren run.');
    expect(result.stderr).toContain("Put --model after the command's name: wren run --model …");
    expect(result.stderr).not.toContain("downloading its default");
  });

  it("names every misplaced flag, and one the command does not take as such", async () => {
    const both = await runCli(["--offline", "--no-daemon", "cmd", "list files"], { env, cwd: home });
    expect(both.code).toBe(2);
    expect(both.stderr).toContain('--offline and --no-daemon before "cmd" are options of the assistant');
    const foreign = await runCli(["--max-turns", "3", "sessions", "list"], { env, cwd: home });
    expect(foreign.code).toBe(2);
    expect(foreign.stderr).toContain("`wren sessions --help` lists the options sessions takes.");
  });

  it("refuses `wren -p serve` (a task or the command?) rather than starting a server", async () => {
    const result = await runCli(["-p", "serve"], { env, cwd: home });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('-p runs the assistant on a task, and "serve" is the name of a wren command.');
    expect(result.stderr).toContain('Quote the task as one argument (wren -p "serve …"), or leave out -p to run `wren serve`.');
  });

  it("leaves options after the command's name to the command", async () => {
    const result = await runCli(["run", "--model", sharedModels.chat, "--offline", "--max-tokens", "4", "hi"], { env, cwd: home });
    expect(result.stderr).not.toContain("option of the assistant");
    expect(result.code).toBe(0);
  });
});

describe("wren without a terminal, naming no command", () => {
  it("shows the help with every command, not just the assistant's flags", async () => {
    const result = await runCli([], { env, cwd: home });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("Commands:");
    for (const name of ["run", "serve", "pull", "models", "setup"]) expect(result.stderr).toMatch(new RegExp(`\\n  ${name} `));
    // Then why no assistant opened, and what runs a task without a terminal.
    expect(result.stderr).toMatch(/\n\nerror: wren's interactive assistant needs a terminal, and here stdin and stdout are not terminals\.\nFor one task without a terminal, run wren -p "fix the failing test" \(or pipe the task in: … \| wren -p\)\.\n$/);
  });

  it("answers `wren help` and `wren help COMMAND` with the help", async () => {
    const all = await runCli(["help"], { env, cwd: home });
    expect(all.code).toBe(0);
    expect(all.stdout).toContain("Commands:");
    const models = await runCli(["help", "models"], { env, cwd: home });
    expect(models.code).toBe(0);
    expect(models.stdout).toContain("Usage: wren models [options] [command]");
  });

  it("suggests the command a typo was meant to be", async () => {
    const result = await runCli(["serv"], { env, cwd: home });
    expect(result.code).toBe(2);
    expect(result.stderr).toBe("error: unknown command 'serv'\n(Did you mean serve?)\n");
  });

  it("says a task needs -p without a terminal", async () => {
    const result = await runCli(["fix the failing test"], { env, cwd: home });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('Without a terminal, wren runs a task only with -p: wren -p "fix the failing test".');
  });
});

describe("--help of repeatable options", () => {
  it("shows no `(default: [])` beside the default the description names", async () => {
    for (const args of [["--help"], ["serve", "--help"], ["run", "--help"], ["mcp", "add", "--help"], ["daemon", "start", "--help"]]) {
      const result = await runCli(args, { env, cwd: home });
      expect(result.code, args.join(" ")).toBe(0);
      expect(result.stdout, args.join(" ")).not.toContain("(default: [])");
    }
    const serve = await runCli(["serve", "--help"], { env, cwd: home });
    expect(serve.stdout.replace(/\s+/g, " ")).toContain("model to serve (repeatable; default: server.models or models.default) --host");
    const root = await runCli(["--help"], { env, cwd: home });
    expect(root.stdout.replace(/\s+/g, " ")).toContain('(choices: "text", "json", "stream-json", default: "text")');
  });
});

describe("a terminal that cannot move its cursor (TERM=dumb)", () => {
  it("is told the interface needs one and what to run instead, with or without a first prompt, rather than shown screens of escape codes", async () => {
    for (const args of [[], ["what is in this folder?"]]) {
      await using pty = startWrenPty(args, { cwd: home, env: { ...env, TERM: "dumb" }, cols: 300 });
      expect(await pty.exited).toBe(2);
      const said = pty.text().replace(/\s+/g, " ");
      expect(said).toContain("wren's terminal interface needs a terminal that can move its cursor, and this one says it cannot (TERM=dumb).");
      expect(said).toContain('Run one task with wren -p "fix the failing test"');
      // Nothing of the interface was drawn: no cursor movement or screen clearing.
      expect(pty.output()).not.toMatch(new RegExp(`${String.fromCharCode(27)}\\[\\d*[ABJK]`));
    }
  });
});

describe("no prompt given, in a terminal", () => {
  it("wren -p shows how to give wren -p a task, not wren run a prompt", async () => {
    await using pty = startWrenPty(["-p"], { cwd: home, env });
    expect(await pty.exited).toBe(2);
    expect(pty.text()).toContain('Pass it as an argument (wren -p "fix the failing test") or pipe it on stdin.');
    await using run = startWrenPty(["run", "--model", sharedModels.chat], { cwd: home, env });
    expect(await run.exited).toBe(2);
    expect(run.text()).toContain('Pass it as an argument (wren run "Once upon a time") or pipe it on stdin.');
  });
});

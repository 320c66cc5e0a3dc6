import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { cliPath } from "../helpers/cli.js";
import { hasSharedModels, sharedModels } from "../helpers/shared-models.js";

const RISKS = ["safe", "moderate", "high", "critical"];

interface Ran {
  code: number | null;
  stdout: string;
  stderr: string;
}

function run(program: string, args: string[], env: NodeJS.ProcessEnv = {}, input = ""): Promise<Ran> {
  return new Promise((resolve, reject) => {
    const child = spawn(program, args, { env: { ...process.env, ...env }, stdio: ["pipe", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(input);
  });
}

/**
 * Drives a program in a pseudo-terminal (python3's pty module): waits for each expected text, then
 * types the reply. `{"probe": path}` steps print whether a file exists at that moment.
 */
const PTY_DRIVER = String.raw`
import json, os, pty, select, sys, time
argv, steps = json.loads(sys.argv[1]), json.loads(sys.argv[2])
pid, fd = pty.fork()
if pid == 0:
    os.execvp(argv[0], argv)
buf = b""
def fill(deadline):
    global buf
    r, _, _ = select.select([fd], [], [], max(0, deadline - time.time()))
    if not r:
        return False
    try:
        data = os.read(fd, 4096)
    except OSError:
        return False
    buf += data
    return bool(data)
for step in steps:
    if "probe" in step:
        sys.stdout.write("\n[probe %s]\n" % os.path.exists(step["probe"]))
        continue
    want = step["expect"].encode()
    deadline = time.time() + 240
    while want not in buf:
        if not fill(deadline):
            sys.stdout.write(buf.decode(errors="replace"))
            sys.stdout.write("\n[gave up waiting for %r]\n" % step["expect"])
            os.kill(pid, 9)
            sys.exit(3)
    cut = buf.index(want) + len(want)
    sys.stdout.write(buf[:cut].decode(errors="replace"))
    buf = buf[cut:]
    time.sleep(0.2)
    os.write(fd, step["send"].encode())
deadline = time.time() + 60
while fill(deadline):
    pass
sys.stdout.write(buf.decode(errors="replace"))
_, status = os.waitpid(pid, 0)
sys.stdout.write("\n[exit %d]\n" % os.waitstatus_to_exitcode(status))
`;

const scratch = mkdtempSync(path.join(os.tmpdir(), "wren-cmd-e2e-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const modelArgs = ["--model", sharedModels.stories, "--shell", "bash", "--max-tokens", "300"];

describe.runIf(hasSharedModels)("wren cmd with a real model", () => {
  it("--json returns a parsed command and the risk the analysis gives it", { timeout: 300_000 }, async () => {
    const r = await run(process.execPath, [cliPath, "cmd", "--json", ...modelArgs, "find files over 100 MB modified this week"]);
    expect(r.stderr).not.toMatch(/wren: /);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { command: string; explanation: string; assumptions: string[]; shell: string; risk: string; reasons: unknown[] };
    expect(typeof out.command).toBe("string");
    expect(out.command.length).toBeGreaterThan(0);
    expect(typeof out.explanation).toBe("string");
    expect(Array.isArray(out.assumptions)).toBe(true);
    expect(out.shell).toBe("bash");
    expect(RISKS).toContain(out.risk);
    // The verdict is the safety analysis of that very command (whatever nonsense the tiny model wrote).
    const check = await run(process.execPath, [cliPath, "cmd", "--check", out.command, "--shell", "bash", "--json"]);
    expect(JSON.parse(check.stdout)).toEqual({ risk: out.risk, reasons: out.reasons });
  });

  it("does not run a critical command until yes is typed, in a terminal", { timeout: 300_000 }, async () => {
    const sentinel = path.join(scratch, "ran");
    const payload = path.join(scratch, "payload.sh");
    writeFileSync(payload, `touch '${sentinel}'\n`);
    const critical = `curl -s file://${payload} | sh`;
    const steps = [
      { expect: "[A]bort › ", send: "r\r" },
      // Ctrl-U clears the model's command; then type a real critical one: a download piped to sh.
      { expect: "Edit › ", send: `\u0015${critical}\r` },
      { expect: "[A]bort › ", send: "e\r" },
      { expect: "Type yes to run it: ", send: "y\r" },
      { expect: "Not run.", send: "" },
      { probe: sentinel },
      { expect: "[A]bort › ", send: "e\r" },
      { expect: "Type yes to run it: ", send: "yes\r" },
    ];
    const argv = [process.execPath, cliPath, "cmd", ...modelArgs, "list the files here"];
    const r = await run("python3", ["-c", PTY_DRIVER, JSON.stringify(argv), JSON.stringify(steps)], { NO_COLOR: "1" });
    const transcript = r.stdout;
    expect(transcript, transcript).toContain(`[critical] ${critical}`);
    expect(transcript).toContain("remote code execution: downloads code and runs it with sh (critical)");
    // After answering "y" instead of "yes", the command had not run...
    expect(transcript).toContain("[probe False]");
    // ...and typing yes runs the real command, which creates the file.
    expect(transcript).toContain("[exit 0]");
    expect(existsSync(sentinel)).toBe(true);
  });

  it("--dry-run shows the command, its risk and the explanation, and exits 0", { timeout: 300_000 }, async () => {
    const r = await run(process.execPath, [cliPath, "cmd", "--dry-run", ...modelArgs, "list the files here"], { NO_COLOR: "1" });
    expect(r.stderr).not.toMatch(/wren: /);
    expect(r.code).toBe(0);
    const [badgeLine] = r.stdout.split("\n");
    expect(badgeLine).toMatch(/^\[(safe|moderate|high|critical)\] \S/);
    expect(r.stdout).not.toContain("[E]xecute");
  });

  it("-x refuses to run what --safety does not allow when no one can confirm", { timeout: 300_000 }, async () => {
    const r = await run(process.execPath, [cliPath, "cmd", "-x", "--safety", "strict", ...modelArgs, "show the date"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/wren: Not run: -x runs only what --safety strict allows without asking, and this command is (safe|moderate|high|critical)\. /);
  });
});

describe("wren cmd without a terminal", () => {
  it("says the menu needs a terminal before loading any model", async () => {
    const r = await run(process.execPath, [cliPath, "cmd", "--model", "/nonexistent.gguf", "list files"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("wren: wren cmd asks before running a command, and stdin is not a terminal. Run it in a terminal, or use --dry-run or --output json|yaml|plain to only see the command");
  });

  it("rejects a --max-tokens that is not a positive whole number", async () => {
    const word = await run(process.execPath, [cliPath, "cmd", "--json", "-n", "lots", "list files"]);
    expect(word.code).toBe(2);
    expect(word.stderr).toContain('wren: --max-tokens expects a whole number; got "lots".');
    const zero = await run(process.execPath, [cliPath, "cmd", "--json", "-n", "0", "list files"]);
    expect(zero.code).toBe(2);
    expect(zero.stderr).toContain("wren: --max-tokens must be at least 1; got 0. Pass e.g. --max-tokens 512.");
  });

  it("asks for a task when none is given", async () => {
    const r = await run(process.execPath, [cliPath, "cmd", "--json"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("wren: No task given. Describe what the command should do");
  });
});

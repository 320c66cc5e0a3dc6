import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { WrenError } from "../shared/errors.js";
import { runCheckMode } from "./check-mode.js";

const cwd = "/home/ada/code/app";
const home = "/home/ada";

/** Starts check mode on in-memory streams; answers are read line by line as they arrive. */
function start(jsonl: boolean) {
  const stdin = new PassThrough();
  const stdout = new PassThrough();
  stdout.setEncoding("utf8");
  const done = runCheckMode({ command: "-", shell: "bash", json: true, jsonl, cwd, home, stdin, stdout });
  // One listener for the whole run: data written while no one waits stays in the buffer.
  let buffered = "";
  let wake: (() => void) | undefined;
  stdout.on("data", (chunk: string) => {
    buffered += chunk;
    wake?.();
  });
  const next = async (): Promise<unknown> => {
    while (!buffered.includes("\n")) await new Promise<void>((resolve) => (wake = resolve));
    const i = buffered.indexOf("\n");
    const line = buffered.slice(0, i);
    buffered = buffered.slice(i + 1);
    return JSON.parse(line) as unknown;
  };
  return { stdin, next, done };
}

describe("wren cmd --check - --jsonl", () => {
  it("answers each request as it arrives, in the request's shell and folder, with its id", async () => {
    const s = start(true);
    // One request at a time, each answer awaited before the next is sent: a co-process caller.
    s.stdin.write(JSON.stringify({ command: "rm -rf *", cwd: "/", id: 1 }) + "\n");
    expect(await s.next()).toMatchObject({ id: 1, risk: "critical", reasons: [{ category: "system destruction" }] });
    s.stdin.write(JSON.stringify({ command: "rm -rf *", id: "two" }) + "\n");
    expect(await s.next()).toMatchObject({ id: "two", risk: "high" });
    s.stdin.write(JSON.stringify({ command: "Remove-Item -Recurse -Force C:\\", shell: "powershell" }) + "\n");
    const third = await s.next();
    expect(third).toMatchObject({ risk: "critical" });
    expect(third).not.toHaveProperty("id");
    s.stdin.write(JSON.stringify({ command: "set t /; rm -rf $t", shell: "fish" }) + "\n");
    expect(await s.next()).toMatchObject({ risk: "critical" });
    s.stdin.end();
    expect(await s.done).toBe(0);
  });

  it("answers a bad line with an error and goes on; blank lines get no answer", async () => {
    const s = start(true);
    s.stdin.write("not json\n\n");
    s.stdin.write(JSON.stringify({ shell: "bash" }) + "\n");
    s.stdin.write(JSON.stringify({ command: "ls", cwd: "relative/dir" }) + "\n");
    s.stdin.write(JSON.stringify({ command: "ls", shell: "tcsh" }) + "\n");
    s.stdin.write(JSON.stringify({ command: "ls", colour: true }) + "\n");
    s.stdin.end(JSON.stringify({ command: "ls -la" }) + "\n");
    const errors = [await s.next(), await s.next(), await s.next(), await s.next(), await s.next()];
    for (const e of errors) expect(e).toMatchObject({ error: { code: "bad_request", hint: expect.any(String) as string } });
    expect(JSON.stringify(errors[0])).toContain("not JSON");
    expect(JSON.stringify(errors[1])).toContain('\\"command\\"');
    expect(JSON.stringify(errors[2])).toContain("absolute");
    expect(await s.next()).toEqual({ risk: "safe", reasons: [] });
    expect(await s.done).toBe(0);
  });

  it("needs - as the command", async () => {
    const err = await runCheckMode({ command: "ls", shell: "bash", json: true, jsonl: true }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WrenError);
    expect(err).toMatchObject({ code: "bad_request", message: expect.stringContaining("--check -") as string });
  });

  it("still reads plain command lines without --jsonl", async () => {
    const s = start(false);
    s.stdin.end('{"command":"rm -rf /"}\n');
    // Without --jsonl the line is a command (a brace group), not a request.
    expect(await s.next()).toMatchObject({ risk: "high" });
    expect(await s.done).toBe(0);
  });
});

import { spawn } from "node:child_process";
import { describe, expect, it } from "vitest";
import { cliPath } from "../helpers/cli.js";


function wren(args: string[], input: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cliPath, ...args], { stdio: ["pipe", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(input);
  });
}

describe("wren cmd --check - --jsonl", () => {
  it("answers JSON requests with their own shell and folder, and bad lines with errors", async () => {
    const requests = [
      JSON.stringify({ command: "cd / && rm -rf *", id: 7 }),
      JSON.stringify({ command: "rm -rf *", cwd: "/home/ada/code/app" }),
      JSON.stringify({ command: "set t /; rm -rf $t", shell: "fish" }),
      "oops",
      JSON.stringify({ command: "kubectl get pods" }),
    ];
    const r = await wren(["cmd", "--check", "-", "--jsonl", "--shell", "bash"], requests.join("\n") + "\n");
    expect(r.code).toBe(0);
    const answers = r.stdout.trimEnd().split("\n").map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(answers).toHaveLength(5);
    expect(answers[0]).toMatchObject({ id: 7, risk: "critical" });
    expect(answers[1]).toMatchObject({ risk: "high" });
    expect(answers[2]).toMatchObject({ risk: "critical" });
    expect(answers[3]).toMatchObject({ error: { code: "bad_request" } });
    expect(answers[4]).toEqual({ risk: "safe", reasons: [] });
  });

  it("refuses --jsonl without --check - (exit 2, a hint on stderr)", async () => {
    const r = await wren(["cmd", "--check", "ls", "--jsonl"], "");
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("--check -");
  });
});

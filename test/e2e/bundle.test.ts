import { spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startScriptedTeacher } from "../helpers/fake-upstreams/scripted-teacher.js";
import { projectRoot } from "../helpers/shared-models.js";
import { teacherEnv } from "../helpers/teacher-env.js";

// The `wren` command as npm installs it: package.json's bin, the bundle `npm run build` makes.
const pkg = JSON.parse(readFileSync(path.join(projectRoot, "package.json"), "utf8")) as { version: string; bin: { wren: string } };
const bin = path.join(projectRoot, pkg.bin.wren);

interface Result {
  code: number | null;
  stdout: string;
  stderr: string;
}

function wren(args: readonly string[], env: Record<string, string> = {}, cwd = projectRoot): Promise<Result> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...(env["WREN_TRACE_IMPORTS"] ? ["--import", path.join(projectRoot, "test/helpers/trace-imports.mjs")] : []), bin, ...args], {
      cwd,
      env: { ...process.env, ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (d: string) => (stdout += d));
    child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

let tmp: string;
beforeAll(() => {
  if (!existsSync(bin)) throw new Error(`${bin} is missing: run \`npm run build\` first (npm test does).`);
  tmp = mkdtempSync(path.join(os.tmpdir(), "wren-bundle-"));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe("the published wren command (the bundle)", () => {
  it("is the bundle, and npm pack ships it", async () => {
    expect(pkg.bin.wren).toBe("dist/bundle/cli.js");
    const packed = await new Promise<Result>((resolve, reject) => {
      // npm is a .cmd script on Windows, which only a shell runs.
      const child = spawn("npm", ["pack", "--dry-run", "--json", "--ignore-scripts"], { cwd: projectRoot, shell: process.platform === "win32", stdio: ["ignore", "pipe", "pipe"] });
      let stdout = "";
      child.stdout.setEncoding("utf8").on("data", (d: string) => (stdout += d));
      child.on("error", reject);
      child.on("close", (code) => resolve({ code, stdout, stderr: "" }));
    });
    expect(packed.code).toBe(0);
    const files = (JSON.parse(packed.stdout) as Array<{ files: Array<{ path: string }> }>)[0]!.files.map((f) => f.path);
    expect(files).toContain("dist/bundle/cli.js");
    expect(files).toContain("package.json");
  });

  it("prints its version without the command tree, and rates a command from the bundle's own files", async () => {
    const version = await wren(["--version"]);
    expect(version).toMatchObject({ code: 0, stdout: `${pkg.version}\n` });

    const trace = path.join(tmp, "trace-check");
    const check = await wren(["cmd", "--check", "sudo rm -rf /", "--shell", "bash", "--json"], { WREN_TRACE_IMPORTS: trace });
    expect(check.code).toBe(0);
    const verdict = JSON.parse(check.stdout) as { risk: string; reasons: Array<{ category: string }> };
    expect(verdict.risk).toBe("critical");
    expect(verdict.reasons.map((r) => r.category)).toContain("system destruction");
    const specifiers = readFileSync(trace, "utf8").split("\n").filter(Boolean);
    // wren's code comes from the bundle's folder (./chunk…), never from tsc's unbundled files (../cli/…).
    expect(specifiers.filter((s) => s.startsWith("./")).length).toBeGreaterThan(0);
    expect(specifiers.filter((s) => s.startsWith("../"))).toEqual([]);
    expect(specifiers).toContain("web-tree-sitter");
  });

  it("runs wren -p to the teacher's answer and records the session", async () => {
    await using teacher = await startScriptedTeacher([{ text: "Answered from the bundle." }]);
    const project = path.join(tmp, "project");
    mkdirSync(project, { recursive: true });
    const home = path.join(tmp, "home");
    const r = await wren(["-p", "--model", "openai:gpt-4o-mini", "--output-format", "json", "say hello"], teacherEnv(home, teacher.url), project);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { result: string; session_id: string; turns: number };
    expect(out).toMatchObject({ result: "Answered from the bundle.", turns: 1 });
    expect(teacher.requests).toHaveLength(1);
    expect(JSON.stringify(teacher.requests[0]!.messages)).toContain("say hello");
    const sessions = await wren(["sessions", "list", "--json"], teacherEnv(home, teacher.url), project);
    expect(sessions.code).toBe(0);
    expect(sessions.stdout).toContain(out.session_id);
  });
});

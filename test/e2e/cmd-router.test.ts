import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import type { Decision } from "../../src/router/decisions.js";
import { runCli } from "../helpers/cli.js";
import { startScriptedTeacher, type ChatBody, type ScriptedTeacher, type TeacherReply } from "../helpers/fake-upstreams/scripted-teacher.js";

const ANSWER = { command: "du -sh .", explanation: "Shows how much space this folder uses.", assumptions: ["the current folder"] };

describe("wren cmd through the router: provider:model, auto and routes against a teacher stand-in", () => {
  let teacher: ScriptedTeacher;
  let home: string;
  let cwd: string;
  /** What the teacher answers next; the tests set it before each run. */
  let reply: TeacherReply = { text: JSON.stringify(ANSWER) };

  beforeAll(async () => {
    teacher = await startScriptedTeacher((_body: ChatBody) => reply);
    home = await mkdtemp(path.join(os.tmpdir(), "wren-cmd-router-home-"));
    cwd = await mkdtemp(path.join(os.tmpdir(), "wren-cmd-router-cwd-"));
  });
  afterAll(async () => {
    await teacher?.close();
    await rm(home, { recursive: true, force: true });
    await rm(cwd, { recursive: true, force: true });
  });

  /** Config from the environment only: no local model, the stand-in as the openai provider. */
  const env = (extra: Record<string, string> = {}) => ({
    WREN_HOME: home,
    WREN_MODELS_DEFAULT: "",
    WREN_ROUTER_CLOUD: "allow",
    WREN_ROUTER_PROVIDERS: JSON.stringify({ openai: { baseURL: teacher.url, cloud: true } }),
    OPENAI_API_KEY: "sk-test",
    ...extra,
  });
  const cmd = (args: string[], extra?: Record<string, string>) => runCli(["cmd", "--shell", "bash", ...args], { env: env(extra), cwd });

  it("--model provider:model --json: the teacher's command, its risk, and the provenance", async () => {
    reply = { text: JSON.stringify(ANSWER) };
    const before = teacher.requests.length;
    const r = await cmd(["--model", "openai:gpt-4o-mini", "--json", "how big is this folder"]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as Record<string, unknown>;
    expect(out).toMatchObject({ ...ANSWER, shell: "bash", risk: "safe" });
    expect(out["provenance"]).toEqual({ provider: "openai", model: "gpt-4o-mini", reason: "direct", route: "direct" });
    expect(teacher.requests.length).toBe(before + 1);

    // A cloud teacher has no GBNF grammar: the answer's shape is asked for as a JSON schema.
    const sent = teacher.requests.at(-1)!;
    expect(sent.model).toBe("gpt-4o-mini");
    const format = sent["response_format"] as { type: string; json_schema: { schema: { required: string[] } } };
    expect(format.type).toBe("json_schema");
    expect(format.json_schema.schema.required).toEqual(["command", "explanation", "assumptions"]);
    expect(JSON.stringify(sent.messages)).toContain("how big is this folder");

    // The decision is where `wren router log` reads it.
    const lines = (await readFile(path.join(home, "state", "router-decisions.jsonl"), "utf8")).trim().split("\n");
    const last = JSON.parse(lines.at(-1)!) as Decision;
    expect([last.requestedModel, last.provider, last.model, last.outcome]).toEqual(["openai:gpt-4o-mini", "openai", "gpt-4o-mini", "ok"]);
  });

  it("--dry-run prints the command, and the stats line on stderr says who answered and why", async () => {
    reply = { text: JSON.stringify(ANSWER) };
    const r = await cmd(["--model", "openai:gpt-4o-mini", "--dry-run", "how big is this folder"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("du -sh .");
    expect(r.stdout).toContain(ANSWER.explanation);
    expect(r.stderr).toMatch(/\d+ prompt tokens, 7 completion tokens, .*answered by openai:gpt-4o-mini \(route direct, reason direct\)/);
  });

  it("--output yaml carries the same result and provenance; --output plain prints the command alone", async () => {
    reply = { text: JSON.stringify(ANSWER) };
    const yaml = await cmd(["--model", "openai:gpt-4o-mini", "--output", "yaml", "how big is this folder"]);
    expect(yaml.code).toBe(0);
    expect(yaml.stderr).toBe("");
    const doc = parse(yaml.stdout) as Record<string, unknown>;
    expect(doc).toMatchObject({ ...ANSWER, shell: "bash", risk: "safe" });
    expect(doc["provenance"]).toEqual({ provider: "openai", model: "gpt-4o-mini", reason: "direct", route: "direct" });

    const plain = await cmd(["--model", "openai:gpt-4o-mini", "--output", "plain", "how big is this folder"]);
    expect(plain.code).toBe(0);
    expect(plain.stdout).toBe("du -sh .\n");
    expect(plain.stderr).toMatch(/answered by openai:gpt-4o-mini \(route direct, reason direct\)/);

    const before = teacher.requests.length;
    const conflict = await cmd(["--model", "openai:gpt-4o-mini", "--json", "--output", "yaml", "how big is this folder"]);
    expect(conflict.code).not.toBe(0);
    expect(conflict.stderr).toContain("--json is --output json");
    expect(teacher.requests.length).toBe(before);
  });

  it("auto and a route name go through the policy to the teachers when no local model is configured", async () => {
    reply = { text: JSON.stringify(ANSWER) };
    const extra = { WREN_ROUTER_TEACHERS: "openai:gpt-4o-mini", WREN_ROUTER_ROUTES: JSON.stringify({ smart: "openai:gpt-4.1" }) };
    const auto = await cmd(["--model", "auto", "--json", "how big is this folder"], extra);
    expect(auto.code).toBe(0);
    expect((JSON.parse(auto.stdout) as { provenance: unknown }).provenance).toMatchObject({ provider: "openai", model: "gpt-4o-mini", route: "default" });
    const smart = await cmd(["--model", "smart", "--json", "how big is this folder"], extra);
    expect(smart.code).toBe(0);
    expect((JSON.parse(smart.stdout) as { provenance: unknown }).provenance).toMatchObject({ provider: "openai", model: "gpt-4.1", route: "smart" });
    expect(teacher.requests.at(-1)!.model).toBe("gpt-4.1");
  });

  it("cmd.model (wren.toml or WREN_CMD_MODEL) picks the model when --model is absent, and --model still wins", async () => {
    reply = { text: JSON.stringify(ANSWER) };
    const project = await mkdtemp(path.join(os.tmpdir(), "wren-cmd-router-config-"));
    try {
      await writeFile(path.join(project, "wren.toml"), `[cmd]\nmodel = "openai:gpt-4.1-mini"\n`);
      const fromFile = await runCli(["cmd", "--shell", "bash", "--json", "how big is this folder"], { env: env(), cwd: project });
      expect(fromFile.code).toBe(0);
      expect((JSON.parse(fromFile.stdout) as { provenance: unknown }).provenance).toMatchObject({ provider: "openai", model: "gpt-4.1-mini" });
      expect(teacher.requests.at(-1)!.model).toBe("gpt-4.1-mini");

      const fromEnv = await runCli(["cmd", "--shell", "bash", "--json", "how big is this folder"], { env: env({ WREN_CMD_MODEL: "openai:gpt-4o" }), cwd: project });
      expect(fromEnv.code).toBe(0);
      expect(teacher.requests.at(-1)!.model).toBe("gpt-4o");

      const flag = await runCli(["cmd", "--shell", "bash", "--model", "openai:gpt-4o-mini", "--json", "how big is this folder"], { env: env(), cwd: project });
      expect(flag.code).toBe(0);
      expect(teacher.requests.at(-1)!.model).toBe("gpt-4o-mini");
    } finally {
      await rm(project, { recursive: true, force: true });
    }
  });

  it("with no model named anywhere, wren cmd's default is a catalog coder (offline: an error naming it, nothing fetched)", async () => {
    const r = await cmd(["--offline", "--json", "how big is this folder"]);
    expect(r.code).not.toBe(0);
    expect(r.stdout).toBe("");
    expect(r.stderr).toMatch(/wren's default model \(qwen2\.5-coder-[\d.]+b\) is not here/);
  });

  it("a teacher answer that is not the command JSON is a clear error, not a command", async () => {
    reply = { text: "Sure! Run du -sh ." };
    const prose = await cmd(["--model", "openai:gpt-4o-mini", "--json", "how big is this folder"]);
    expect(prose.code).not.toBe(0);
    expect(prose.stdout).toBe("");
    expect(prose.stderr).toContain("not valid JSON");

    reply = { text: JSON.stringify({ cmd: "du -sh ." }) };
    const wrongShape = await cmd(["--model", "openai:gpt-4o-mini", "--json", "how big is this folder"]);
    expect(wrongShape.code).not.toBe(0);
    expect(wrongShape.stdout).toBe("");
    expect(wrongShape.stderr).toContain("does not have the command, explanation and assumptions fields");
  });

  it("--offline refuses a cloud teacher with a clear error, and nothing reaches it", async () => {
    reply = { text: JSON.stringify(ANSWER) };
    const before = teacher.requests.length;
    const r = await cmd(["--model", "openai:gpt-4o-mini", "--offline", "--json", "how big is this folder"]);
    expect(r.code).not.toBe(0);
    expect(r.stdout).toBe("");
    expect(r.stderr).toMatch(/offline/i);
    expect(teacher.requests.length).toBe(before);
  });
});

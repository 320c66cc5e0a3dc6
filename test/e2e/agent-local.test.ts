import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli.js";
import { CHAT_MODEL_REPLY, hasSharedModels, sharedModelsDir } from "../helpers/shared-models.js";

/** The ChatML model with a 128k context: the assistant's system prompt and tool list need ~8k tokens. */
const chat128k = path.join(sharedModelsDir, "synthetic-bigram-chatml-128k.gguf");

describe.runIf(hasSharedModels)("wren -p with a local model", () => {
  let root: string;
  beforeAll(() => {
    root = mkdtempSync(path.join(os.tmpdir(), "wren-agent-local-"));
    mkdirSync(path.join(root, "project"));
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it("completes a turn through the same loop, answered by the local model (reason local)", async () => {
    // In this process: the daemon path is tested in agent-daemon.test.ts.
    const r = await runCli(["-p", "--no-daemon", "--output-format", "json", "Say hello."], {
      cwd: path.join(root, "project"),
      // No context set anywhere: the model gets the largest that fits, as the daemon gives it. The
      // 4,096 tokens of a one-shot `wren run` could not hold the assistant's instructions and tools.
      env: { WREN_HOME: path.join(root, "home"), WREN_MODELS_DEFAULT: chat128k },
      timeoutMs: 120_000,
    });
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { result: string; turns: number; stop_reason: string; usage: { input_tokens: number }; provenance: unknown[] };
    expect(out.result).toBe(CHAT_MODEL_REPLY);
    expect(out).toMatchObject({ turns: 1, stop_reason: "done" });
    expect(out.provenance).toEqual([{ turn: 1, provider: "local", model: "synthetic-bigram-chatml-128k", reason: "local", route: "default" }]);
    // The tools went to the model with the prompt: far more than the few words asked.
    expect(out.usage.input_tokens).toBeGreaterThan(4_096);
  });

  it("loads a model named with --model (a file, or local:FILE) in this process, called directly", async () => {
    for (const name of [chat128k, `local:${chat128k}`]) {
      const r = await runCli(["-p", "--no-daemon", "--model", name, "--output-format", "json", "Say hello."], {
        cwd: path.join(root, "project"),
        env: { WREN_HOME: path.join(root, "home") },
        timeoutMs: 120_000,
      });
      expect(r.stderr).toBe("");
      expect(r.code).toBe(0);
      const out = JSON.parse(r.stdout) as { result: string; provenance: unknown[] };
      expect(out.result).toBe(CHAT_MODEL_REPLY);
      expect(out.provenance).toEqual([{ turn: 1, provider: "local", model: "synthetic-bigram-chatml-128k", reason: "direct", route: "direct" }]);
    }
  });

  it("keeps a context the user set, and says when the assistant's prompt does not fit it", async () => {
    const r = await runCli(["-p", "--no-daemon", "--output-format", "json", "Say hello."], {
      cwd: path.join(root, "project"),
      env: { WREN_HOME: path.join(root, "home"), WREN_MODELS_DEFAULT: chat128k, WREN_ENGINE_CONTEXT_SIZE: "2048" },
      timeoutMs: 120_000,
    });
    expect(r.code).toBe(3);
    expect(r.stderr).toContain("The prompt is too long for every target");
    expect(r.stderr).toContain("local:synthetic-bigram-chatml-128k: skipped (context)");
    // What to do, for the assistant: not the server's per-request knobs, which -p has none of.
    expect(r.stderr).toContain("The assistant's instructions and tool definitions go with every turn");
    expect(r.stderr).not.toContain("num_ctx");
    // A script reading the JSON result gets the same next step as a person reading stderr.
    const out = JSON.parse(r.stdout) as { is_error: boolean; error: { code: string; hint: string } };
    expect(out).toMatchObject({ is_error: true, error: { code: "context_overflow" } });
    expect(out.error.hint).toContain("The assistant's instructions and tool definitions go with every turn");
  });
});

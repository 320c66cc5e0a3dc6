import { copyFile, mkdtemp, readFile, rm, truncate, writeFile } from "node:fs/promises";
import { spawn } from "node:child_process";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli, spawnCli, unbundledCliPath } from "../helpers/cli.js";
import { CHAT_MODEL_REPLY, hasSharedModels, projectRoot, sharedModels } from "../helpers/shared-models.js";

let tmp: string;
beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), "wren-run-"));
});
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

describe("wren --version and --help", () => {
  it("print without loading a model or any heavy module", async () => {
    for (const flag of ["--version", "--help"]) {
      const trace = path.join(tmp, `trace${flag}`);
      const result = await new Promise<{ code: number | null; stdout: string }>((resolve) => {
        const child = spawn(process.execPath, ["--import", path.join(projectRoot, "test/helpers/trace-imports.mjs"), unbundledCliPath, flag], {
          env: { ...process.env, WREN_TRACE_IMPORTS: trace },
        });
        let stdout = "";
        child.stdout.setEncoding("utf8").on("data", (d: string) => (stdout += d));
        child.on("close", (code) => resolve({ code, stdout }));
      });
      expect(result.code).toBe(0);
      expect(result.stdout).toMatch(flag === "--version" ? /^\d+\.\d+\.\d+/ : /Usage: wren/);
      const loaded = await readFile(trace, "utf8");
      // --version reads package.json and nothing else; --help needs the command tree.
      expect(loaded.split("\n")).toContain(flag === "--version" ? "../cli/version.js" : "commander");
      for (const heavy of ["node-llama-cpp", "hono", "openai", "@anthropic-ai/sdk", "web-tree-sitter", "zod", "pino", ...(flag === "--version" ? ["commander"] : [])]) {
        expect(loaded.split("\n")).not.toContain(heavy);
      }
    }
  });
});

describe.runIf(hasSharedModels)("wren run on the real TinyStories model", () => {
  const model = ["--model", sharedModels.stories];

  it("prints a TinyStories continuation and a stats line", async () => {
    const r = await runCli(["run", ...model, "--temperature", "0", "-n", "24", "Once upon a time"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^, there was a little girl named Lily\. She loved to play/);
    expect(r.stderr).toMatch(/\d+ prompt tokens, 24 completion tokens, time to first token \d+ ms, [\d.]+ tokens\/s/);
  });

  it("gives the same text twice for the same seed", async () => {
    const args = ["run", ...model, "--seed", "1234", "--temperature", "1", "-n", "30", "--json", "Once upon a time"];
    const [a, b] = await Promise.all([runCli(args), runCli(args)]);
    const ta = (JSON.parse(a.stdout) as { text: string }).text;
    expect(ta.length).toBeGreaterThan(10);
    expect((JSON.parse(b.stdout) as { text: string }).text).toBe(ta);
  });

  it("--max-tokens 5 generates exactly 5 tokens, on the CPU backend when asked", async () => {
    const r = await runCli(["run", ...model, "--gpu", "cpu", "--max-tokens", "5", "--json", "Once upon a time"]);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { usage: { outputTokens: number }; finishReason: string; backend: { requested: string; used: string; gpuLayers: number } };
    expect(out.usage.outputTokens).toBe(5);
    expect(out.finishReason).toBe("length");
    expect(out.backend).toMatchObject({ requested: "cpu", used: "cpu", gpuLayers: 0 });
  });

  it("ends the text before a stop sequence", async () => {
    const r = await runCli(["run", ...model, "--temperature", "0", "--stop", "Lily", "--json", "Once upon a time"]);
    const out = JSON.parse(r.stdout) as { text: string; finishReason: string };
    expect(out.text).toMatch(/^, there was a little girl named ?$/);
    expect(out.finishReason).toBe("stop");
  });

  it("yields JSON that parses and validates against --json-schema", async () => {
    const schema = {
      type: "object",
      properties: { hero: { type: "string" }, happy: { type: "boolean" }, tags: { type: "array", items: { enum: ["cat", "dog"] } } },
      required: ["hero", "happy", "tags"],
    };
    const r = await runCli(["run", ...model, "--temperature", "0", "-n", "120", "--json-schema", JSON.stringify(schema), "Once upon a time"]);
    expect(r.code).toBe(0);
    const value = JSON.parse(r.stdout) as { hero: unknown; happy: unknown; tags: unknown[] };
    expect(typeof value.hero).toBe("string");
    expect(typeof value.happy).toBe("boolean");
    expect(value.tags.every((t) => t === "cat" || t === "dog")).toBe(true);
  });

  it("applies a LoRA adapter given with --lora path:scale", async () => {
    const r = await runCli(["run", ...model, "--temperature", "0", "-n", "32", "--lora", `${sharedModels.lora}:1`, "Once upon a time"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("She loved to play with her toys");
  });

  it("says what is wrong with a --lora that is no adapter for this model, before anything loads", async () => {
    const text = path.join(tmp, "notes.txt");
    await writeFile(text, "not an adapter\n");
    const notAdapter = await runCli(["run", ...model, "--lora", text, "Once"]);
    expect(notAdapter.code).toBe(3);
    expect(notAdapter.stderr).toContain(`${text} is a text file, not a GGUF LoRA adapter.`);
    // The stories260K adapter on the chat model: made for another model.
    const other = await runCli(["run", "--model", sharedModels.chat, "--lora", sharedModels.lora, "Hi"]);
    expect(other.code).toBe(3);
    expect(other.stderr).toContain(`The LoRA adapter ${sharedModels.lora} does not fit synthetic-bigram-chatml:`);
    const badScale = await runCli(["run", ...model, "--lora", `${sharedModels.lora}:abc`, "Once"]);
    expect(badScale.code).toBe(2);
    expect(badScale.stderr).toContain('the scale after the colon must be a number from 0 to 4, not "abc"');
  });

  it("chats through the model's own template", async () => {
    const r = await runCli(["run", "--model", sharedModels.chat, "Hello?"]);
    expect(r.stdout.trim()).toBe(CHAT_MODEL_REPLY);
  });

  it("stops generating within 100 ms of Ctrl+C and exits 130", async () => {
    const child = spawnCli(["run", ...model, "--temperature", "1", "--context", "2048", "Once upon a time"]);
    let stdout = "";
    let stderr = "";
    let sentAt = 0;
    let statsAt = 0;
    child.stderr?.setEncoding("utf8").on("data", (d: string) => {
      stderr += d;
      if (sentAt && !statsAt && /completion tokens/.test(stderr)) statsAt = performance.now();
    });
    child.stdout?.setEncoding("utf8").on("data", (d: string) => {
      stdout += d;
      if (!sentAt && stdout.length > 40) {
        sentAt = performance.now();
        child.kill("SIGINT");
      }
    });
    const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
    expect(sentAt).toBeGreaterThan(0);
    expect(code).toBe(130);
    expect(statsAt - sentAt).toBeLessThan(100);
    expect(stderr).toMatch(/completion tokens/);
  });
});

describe("wren run refuses bad model files with one line, without crashing", () => {
  it.each([
    ["a missing file", () => path.join(tmp, "missing.gguf"), /no model file|not found|does not exist/i],
    ["a directory", () => tmp, /is a directory/],
    ["a text file named .gguf", () => path.join(tmp, "notes.gguf"), /text file, not a GGUF/],
    ["a truncated GGUF", () => path.join(tmp, "truncated.gguf"), /truncated|shorter|incomplete/i],
  ])("%s", async (_name, file, message) => {
    await writeFile(path.join(tmp, "notes.gguf"), "these are my notes, not a model\n");
    if (hasSharedModels) {
      await copyFile(sharedModels.stories, path.join(tmp, "truncated.gguf"));
      await truncate(path.join(tmp, "truncated.gguf"), 600_000);
    } else {
      await writeFile(path.join(tmp, "truncated.gguf"), Buffer.from("GGUF\x03\x00\x00\x00", "latin1"));
    }
    const r = await runCli(["run", "--model", file(), "hello"]);
    expect(r.signal).toBeNull();
    expect(r.code).toBe(3);
    const lines = r.stderr.trim().split("\n");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^wren: /);
    expect(lines[0]).toMatch(message);
  });

  it("says how to pass a model when none is given and the default cannot be fetched", async () => {
    const r = await runCli(["run", "--offline", "hello"], { env: { WREN_HOME: tmp } });
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/^wren: wren's default model \(\S+\) is not here.*offline.*Pass --model PATH/);
  });

  it("names the valid backends for an unknown one", async () => {
    const r = await runCli(["run", "--model", sharedModels.stories, "hello"], { env: { WREN_ENGINE_GPU: "rocm" } });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/"rocm" is not a valid backend\. Use one of: auto, cuda, vulkan, metal, cpu/);
  });
});

import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { inspectLoraAdapter } from "../../src/models/adapter-check.js";
import { runCli } from "../helpers/cli.js";
import { projectRoot, sharedModels } from "../helpers/shared-models.js";

/**
 * The pluggable trainer path as the Python trainers use it, driven through a stand-in that follows
 * the same protocol (test/helpers/stand-in-trainer.mjs: spec in, JSON progress lines out, LoRA
 * tensors out): wren runs it as a background job, shows its progress and log, converts and
 * registers its adapter, and `wren train eval` / `wren adapters promote` take it from there.
 */
const STAND_IN = path.join(projectRoot, "test", "helpers", "stand-in-trainer.mjs");
const base = sharedModels.stories;

const example = (question: string, answer: string) => ({ messages: [{ role: "user", content: question }, { role: "assistant", content: answer }], weight: 10, kind: "corrected", label: true, id: question });

describe("a trainer plugged in through train.command", () => {
  let home: string;
  let dataset: string;
  const env = (): Record<string, string> => ({ WREN_HOME: home, WREN_TRAIN_COMMAND: JSON.stringify([process.execPath, STAND_IN]), WREN_ROUTER_CLOUD: "never" });
  const wren = (args: string[]) => runCli(args, { env: env(), timeoutMs: 120_000 });
  const status = async (): Promise<{ state: string; step: number; trainer: string; adapter?: string; adapterName: string }> => {
    const result = await wren(["train", "status", "--json"]);
    expect(result.stderr).toBe("");
    return JSON.parse(result.stdout) as Awaited<ReturnType<typeof status>>;
  };

  beforeAll(async () => {
    home = await mkdtemp(path.join(os.tmpdir(), "wren-stand-in-"));
    dataset = path.join(home, "dataset");
    await mkdir(dataset, { recursive: true });
    const lines = (list: object[]): string => list.map((e) => `${JSON.stringify(e)}\n`).join("");
    await writeFile(path.join(dataset, "train.jsonl"), lines([example("Who is Tom?", "Tom is a big cat."), example("What does Max like?", "Max likes to run in the park.")]));
    await writeFile(path.join(dataset, "eval.jsonl"), lines([example("What is the cat's name?", "The cat is called Tom."), example("Tell me about the dog.", "The dog is called Max.")]));
  });
  afterAll(async () => {
    await rm(home, { recursive: true, force: true });
  });

  it("runs the stand-in in the background, shows its progress and log, and registers its adapter", { timeout: 300_000 }, async () => {
    const started = await wren(["train", "run", "--base", base, "--dataset", path.join(dataset, "train.jsonl"), "--trainer", "command", "--steps", "6", "--checkpoint-every", "3", "--rank", "4", "--name", "stand-in"]);
    expect(started.stderr).toBe("");
    expect(started.stdout).toMatch(/Started training job \S+ \(command trainer, 6 steps\) in the background/);
    // Polled with a generous bound for a loaded machine, never a timing assertion.
    let done = await status();
    for (let i = 0; ["starting", "preparing", "running", "converting"].includes(done.state); i++) {
      if (i > 600) throw new Error(`the job is still ${done.state}`);
      await new Promise((r) => setTimeout(r, 250));
      done = await status();
    }
    expect(done).toMatchObject({ state: "done", step: 6, trainer: "command", adapterName: "stand-in" });

    const logs = await wren(["train", "logs"]);
    expect(logs.stdout).toContain("start at step 0 of 6, 2 examples");
    expect(logs.stdout).toContain("step 6/6  loss 0.5000");
    expect(logs.stdout).toContain("checkpoint at step 3");
    expect(logs.stdout).toContain("stand-in trainer: 2 examples, rank 4");
    expect(logs.stdout).toContain("finished at step 6");
    const shown = await wren(["train", "status"]);
    expect(shown.stdout).toContain("done, step 6/6 (command trainer");
    expect(shown.stdout).toContain("adapter 'stand-in' registered");

    // Converted from the stand-in's safetensors into a GGUF LoRA adapter that fits the base.
    const adapter = await inspectLoraAdapter(done.adapter!);
    expect(adapter.tensors.get("blk.0.attn_q.weight.lora_a")).toEqual([64, 4]);
    const listed = JSON.parse((await wren(["adapters", "list", "--json"])).stdout) as Array<{ name: string; path: string; base: string }>;
    expect(listed).toEqual([expect.objectContaining({ name: "stand-in", path: done.adapter, base })]);
  });

  it("wren train eval measures base and adapter on the held-back slice and records it; promote follows the recorded result", { timeout: 300_000 }, async () => {
    const shown = await wren(["train", "eval", "--adapter", "stand-in", "--dataset", dataset]);
    expect(shown.stderr).toContain("Scoring 2 held-back answers");
    expect(shown.code).toBe(0);
    expect(shown.stdout).toMatch(/Held-back examples: 2 \(\d+ reference-answer tokens\)/);
    expect(shown.stdout).toMatch(/loss\/token\s+perplexity/);
    expect(shown.stdout).toContain("Recorded beside 'stand-in'");

    const measured = await wren(["train", "eval", "--adapter", "stand-in", "--dataset", path.join(dataset, "eval.jsonl"), "--json"]);
    const e = JSON.parse(measured.stdout) as { baseModel: { loss: number }; adapter: { loss: number }; tokens: number };
    expect(e.tokens).toBeGreaterThan(10);
    expect(e.baseModel.loss).toBeGreaterThan(0);
    expect(e.adapter.loss).not.toBeCloseTo(e.baseModel.loss, 3);
    const listed = JSON.parse((await wren(["adapters", "list", "--json"])).stdout) as Array<{ evaluation?: unknown }>;
    expect(listed[0]?.evaluation).toMatchObject({ baseModel: e.baseModel, adapter: e.adapter });

    const promoted = await wren(["adapters", "promote", "stand-in"]);
    const better = e.adapter.loss <= e.baseModel.loss;
    expect({ promoted: promoted.code === 0, said: better ? promoted.stdout : promoted.stderr }).toEqual({
      promoted: better,
      said: better ? expect.stringContaining("is now the default adapter") : expect.stringContaining("got worse"),
    });
  });

  it("refuses to promote an adapter that was never evaluated, unless forced", async () => {
    const added = await wren(["adapters", "add", sharedModels.lora, "--name", "unmeasured", "--base", base]);
    expect(added.code).toBe(0);
    const refused = await wren(["adapters", "promote", "unmeasured"]);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain("has no recorded evaluation");
    expect(refused.stderr).toContain("wren train eval --adapter unmeasured");
    const forced = await wren(["adapters", "promote", "unmeasured", "--force"]);
    expect(forced.stdout).toContain("'unmeasured' is now the default adapter for");
  });
});

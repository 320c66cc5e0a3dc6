import { mkdtemp, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { feedbackFile, rateLastAnswer } from "../../src/agent/feedback.js";
import { Session } from "../../src/agent/session.js";
import { inspectLoraAdapter } from "../../src/models/adapter-check.js";
import { trainStatus } from "../../src/runtime/train/job-status.js";
import { resolvePaths } from "../../src/shared/paths.js";
import { runCli } from "../helpers/cli.js";
import { sharedModels } from "../helpers/shared-models.js";

/**
 * The whole loop for real, as a user runs it: feedback written through the agent's API, `wren train
 * export`, `wren train run` on stories260K with the CPU trainer (Debian's python3-torch, which CI
 * installs), the job in the background, the adapter loaded by the engine, and `wren train eval`
 * measuring it against the base. Tiny on purpose:
 * 4 examples, a few dozen steps, one thread.
 */
const base = sharedModels.stories;
const QA: Array<[string, string]> = [
  ["What is the cat's name?", "The cat is called Tom. Tom likes milk."],
  ["Who is Tom?", "Tom is a big cat. Tom likes milk."],
  ["Tell me about the dog.", "The dog is called Max. Max likes to run."],
  ["What does Max like?", "Max likes to run in the park."],
];
const TRAIN = ["--base", base, "--threads", "1", "--lr", "0.01", "--rank", "4"];

interface Evaluation {
  tokens: number;
  baseModel: { loss: number; perplexity: number };
  adapter: { loss: number; perplexity: number };
  dataset: { examples: number };
}

interface Line {
  type: string;
  step: number;
  loss?: number;
}

describe("wren train run (CLI)", () => {
  let home: string;
  let dataset: string;
  const env = (): Record<string, string> => ({ WREN_HOME: home, WREN_ROUTER_CLOUD: "never" });
  const wren = (args: string[], timeoutMs = 120_000) => runCli(args, { env: env(), timeoutMs });
  const status = async (): Promise<{ state: string; step: number; checkpointStep?: number; adapter?: string; adapterName: string; dir: string; loss?: number; error?: string }> => {
    const result = await wren(["train", "status", "--json"]);
    expect(result.stderr).toBe("");
    return JSON.parse(result.stdout) as Awaited<ReturnType<typeof status>>;
  };
  /**
   * `wren train status` once the job's files show the expected state (read in-process, as the
   * command reads them, instead of starting a wren process beside the trainer for each look); a
   * generous bound for a loaded 2-core machine, never a timing assertion.
   */
  const until = async (done: (s: Awaited<ReturnType<typeof status>>) => boolean): Promise<Awaited<ReturnType<typeof status>>> => {
    const deadline = Date.now() + 300_000;
    while (Date.now() < deadline) {
      const seen = (await trainStatus({ env: env() }))[0];
      if (seen && done(seen)) {
        const s = await status();
        if (done(s)) return s;
      }
      await new Promise((r) => setTimeout(r, 250));
    }
    throw new Error("the training job did not reach the expected state");
  };
  const progress = async (dir: string): Promise<Line[]> =>
    (await readFile(path.join(dir, "progress.jsonl"), "utf8").catch(() => ""))
      .split("\n")
      .filter(Boolean)
      .map((l) => JSON.parse(l) as Line);

  beforeAll(async () => {
    home = await mkdtemp(path.join(os.tmpdir(), "wren-train-run-"));
    const file = feedbackFile(resolvePaths({ WREN_HOME: home }).dataDir);
    for (const [question, answer] of QA) {
      const session = Session.create({ dir: path.join(home, "sessions"), cwd: home, projectRoot: home, model: "auto", mode: "default", system: "", tools: [] });
      session.push({ role: "user", content: [{ type: "text", text: question }] });
      session.push({ role: "assistant", content: [{ type: "text", text: "I do not know." }] });
      session[Symbol.dispose]();
      rateLastAnswer(session.file, { rating: "bad", correction: answer }, { file });
    }
    dataset = path.join(home, "dataset");
    // No held-back slice: all four corrections are trained on.
    const exported = await runCli(["train", "export", "--out", dataset, "--project", home], { env: { ...env(), WREN_TRAIN_EVAL_FRACTION: "0" } });
    expect(exported.code).toBe(0);
    expect(exported.stdout).toContain("4 for training");
  });
  afterAll(async () => {
    await rm(home, { recursive: true, force: true });
  });

  it("trains a GGUF LoRA adapter in the background that the engine loads and that changes the model's text", { timeout: 600_000 }, async () => {
    const started = await wren(["train", "run", ...TRAIN, "--dataset", path.join(dataset, "train.jsonl"), "--steps", "40", "--checkpoint-every", "20", "--name", "pets"]);
    expect(started.stderr).toBe("");
    expect(started.code).toBe(0);
    expect(started.stdout).toMatch(/Started training job \S+ \(cpu-torch trainer, 40 steps\) in the background/);
    const done = await until((s) => !["starting", "preparing", "running", "converting"].includes(s.state));
    expect(done.state, done.error).toBe("done");
    expect(done.step).toBe(40);
    const lines = await progress(done.dir);
    const losses = lines.filter((l) => l.type === "progress").map((l) => l.loss!);
    expect(losses).toHaveLength(40);
    // Measured, not assumed: the loss on the corrected answers went down.
    expect(losses.at(-1)!).toBeLessThan(losses[0]! * 0.7);
    expect(lines.filter((l) => l.type === "checkpoint").map((l) => l.step)).toEqual([20, 40]);

    const adapter = await inspectLoraAdapter(done.adapter!);
    expect(adapter.alpha).toBe(8);
    expect([...adapter.tensors.keys()]).toContain("blk.4.attn_v.weight.lora_b");
    expect(adapter.tensors.get("blk.0.attn_q.weight.lora_a")).toEqual([64, 4]);
    const listed = await wren(["adapters", "list", "--json"]);
    expect((JSON.parse(listed.stdout) as Array<{ name: string; path: string }>).find((a) => a.name === "pets")?.path).toBe(done.adapter);

    const ask = (extra: string[]) => wren(["run", "-m", base, "--chat", "--json", "-n", "24", ...extra, QA[0]![0]]);
    const sampled = ["--seed", "7", "-t", "0.8"];
    const before = await ask(sampled);
    const after = await ask([...sampled, "--lora", done.adapter!]);
    expect(before.code).toBe(0);
    expect(after.code).toBe(0);
    const text = (r: { stdout: string }): string => (JSON.parse(r.stdout) as { text: string }).text;
    expect(text(after)).not.toBe(text(before));
    const greedy = await ask(["-t", "0", "--lora", done.adapter!]);
    expect(text(greedy)).toContain("Tom");

    // wren train eval measures it with the engine, not from the trainer's numbers: the adapter
    // predicts the corrected answers better than the base, and so it may be promoted.
    const evaluated = await wren(["train", "eval", "--adapter", "pets", "--dataset", path.join(dataset, "train.jsonl"), "--json"], 300_000);
    expect(evaluated.code, evaluated.stderr).toBe(0);
    const e = JSON.parse(evaluated.stdout) as Evaluation;
    expect(e.dataset.examples).toBe(4);
    expect(e.tokens).toBeGreaterThan(20);
    expect(e.adapter.loss).toBeLessThan(e.baseModel.loss);
    expect(e.adapter.perplexity).toBeLessThan(e.baseModel.perplexity);
    const promoted = await wren(["adapters", "promote", "pets"]);
    expect(promoted.stdout).toContain("'pets' is now the default adapter for");

    const logs = await wren(["train", "logs"]);
    expect(logs.stdout).toContain("step 40/40");
    expect(logs.stdout).toContain("finished at step 40");
    const shown = await wren(["train", "status"]);
    expect(shown.stdout).toContain("done, step 40/40 (cpu-torch trainer");
    expect(shown.stdout).toContain("adapter 'pets' registered");
  });

  it("cancelled mid-run, continues from its last checkpoint with --resume", { timeout: 600_000 }, async () => {
    // Far more steps than it will run: it is cancelled once its first checkpoint is recorded.
    const started = await wren(["train", "run", ...TRAIN, "--dataset", path.join(dataset, "train.jsonl"), "--steps", "100000", "--checkpoint-every", "3", "--json"]);
    expect(started.code).toBe(0);
    const { dir, name } = JSON.parse(started.stdout) as { dir: string; name: string };
    for (let i = 0; !(await progress(dir)).some((l) => l.type === "checkpoint"); i++) {
      const state = JSON.parse(await readFile(path.join(dir, "state.json"), "utf8")) as { state: string; error?: string };
      if (state.state === "failed") throw new Error(`the job failed: ${state.error}`);
      if (i > 1200) throw new Error("no checkpoint was recorded");
      await new Promise((r) => setTimeout(r, 250));
    }
    const cancelled = await wren(["train", "cancel"]);
    expect(cancelled.stderr).toBe("");
    expect(cancelled.stdout).toMatch(/Cancelled job \S+ at step \d+; `wren train run --resume` continues from step \d+\./);
    const stopped = await status();
    expect(stopped.state, stopped.error).toBe("cancelled");
    const checkpoint = stopped.checkpointStep!;
    expect(checkpoint % 3).toBe(0);
    const shown = await wren(["train", "status"]);
    expect(shown.stdout).toContain(`last checkpoint at step ${checkpoint}`);
    expect(shown.stdout).toContain("continue it with `wren train run --resume`");

    const total = checkpoint + 9;
    const resumed = await wren(["train", "run", "--resume", "--steps", String(total)]);
    expect(resumed.stderr).toBe("");
    expect(resumed.stdout).toContain(`Resumed training job`);
    // logs -f follows the job until it stops, then says how it ended.
    const followed = await wren(["train", "logs", "-f"], 600_000);
    expect(followed.stdout).toContain(`step ${total}/${total}`);
    expect(followed.stdout).toMatch(/finished at step \d+\nJob done\.\n$/);
    const done = await status();
    expect(done.state, done.error).toBe("done");
    const lines = await progress(dir);
    const resume = lines.findIndex((l) => l.type === "resume");
    // The checkpoint file may be one save ahead of the last line recorded before the trainer stopped.
    expect([checkpoint, checkpoint + 3]).toContain(lines[resume]!.step);
    const after = lines.slice(resume).filter((l) => l.type === "progress").map((l) => l.step);
    expect(after[0]).toBe(lines[resume]!.step + 1);
    expect(after.at(-1)).toBe(total);
    expect(after).toEqual(Array.from({ length: after.length }, (_, i) => lines[resume]!.step + 1 + i));
    const logs = await wren(["train", "logs"]);
    expect(logs.stdout).toContain(`resumed from the checkpoint at step ${lines[resume]!.step}`);
    expect(done.adapterName).toBe(name);
  });
});

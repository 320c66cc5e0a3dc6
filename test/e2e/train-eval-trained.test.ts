import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { feedbackFile, rateLastAnswer } from "../../src/agent/feedback.js";
import { Session } from "../../src/agent/session.js";
import { resolvePaths } from "../../src/shared/paths.js";
import { runCli } from "../helpers/cli.js";
import { sharedModels } from "../helpers/shared-models.js";

/**
 * The loop's last step for real: feedback written through the agent's API, `wren train export`,
 * `wren train run` with the CPU trainer on stories260K (Debian's python3-torch, which CI installs),
 * then `wren train eval` measures the adapter against the base on the examples it was trained on.
 * Tiny on purpose: 4 examples, a few dozen steps, one thread.
 */
const base = sharedModels.stories;
const QA: Array<[string, string]> = [
  ["What is the cat's name?", "The cat is called Tom. Tom likes milk."],
  ["Who is Tom?", "Tom is a big cat. Tom likes milk."],
  ["Tell me about the dog.", "The dog is called Max. Max likes to run."],
  ["What does Max like?", "Max likes to run in the park."],
];

interface Evaluation {
  tokens: number;
  baseModel: { loss: number; perplexity: number };
  adapter: { loss: number; perplexity: number };
  dataset: { examples: number };
}

describe("wren train eval on a trained adapter", () => {
  let home: string;
  let dataset: string;
  const env = (): Record<string, string> => ({ WREN_HOME: home, WREN_ROUTER_CLOUD: "never" });
  const wren = (args: string[]) => runCli(args, { env: env(), timeoutMs: 300_000 });

  beforeAll(async () => {
    home = await mkdtemp(path.join(os.tmpdir(), "wren-train-eval-"));
    const file = feedbackFile(resolvePaths({ WREN_HOME: home }).dataDir);
    for (const [question, answer] of QA) {
      const session = Session.create({ dir: path.join(home, "sessions"), cwd: home, projectRoot: home, model: "auto", mode: "default", system: "", tools: [] });
      session.push({ role: "user", content: [{ type: "text", text: question }] });
      session.push({ role: "assistant", content: [{ type: "text", text: "I do not know." }] });
      session[Symbol.dispose]();
      rateLastAnswer(session.file, { rating: "bad", correction: answer }, { file });
    }
    dataset = path.join(home, "dataset");
    const exported = await runCli(["train", "export", "--out", dataset, "--project", home], { env: { ...env(), WREN_TRAIN_EVAL_FRACTION: "0" } });
    expect(exported.stdout).toContain("4 for training");
  });
  afterAll(async () => {
    await rm(home, { recursive: true, force: true });
  });

  it("measures a lower loss with the adapter than without on the examples it learned", { timeout: 600_000 }, async () => {
    const started = await wren(["train", "run", "--base", base, "--dataset", path.join(dataset, "train.jsonl"), "--threads", "1", "--lr", "0.01", "--rank", "4", "--steps", "30", "--name", "pets"]);
    expect(started.code).toBe(0);
    // Polled with a generous bound for a loaded machine, never a timing assertion.
    let state = "starting";
    for (let i = 0; ["starting", "preparing", "running", "converting"].includes(state); i++) {
      if (i > 1200) throw new Error(`the training job is still ${state}`);
      await new Promise((r) => setTimeout(r, 500));
      state = (JSON.parse((await wren(["train", "status", "--json"])).stdout) as { state: string }).state;
    }
    expect(state).toBe("done");

    const result = await wren(["train", "eval", "--adapter", "pets", "--dataset", path.join(dataset, "train.jsonl"), "--json"]);
    expect(result.code).toBe(0);
    const e = JSON.parse(result.stdout) as Evaluation;
    expect(e.dataset.examples).toBe(4);
    expect(e.tokens).toBeGreaterThan(20);
    // Measured by the engine, not read from the trainer: the adapter predicts the corrected answers better.
    expect(e.adapter.loss).toBeLessThan(e.baseModel.loss);
    expect(e.adapter.perplexity).toBeLessThan(e.baseModel.perplexity);
    const promoted = await wren(["adapters", "promote", "pets"]);
    expect(promoted.stdout).toContain("'pets' is now the default adapter for");
  });
});

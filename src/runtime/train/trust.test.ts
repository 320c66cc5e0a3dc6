import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { feedbackFile, rateLastAnswer } from "../../agent/feedback.js";
import { Session } from "../../agent/session.js";
import { sharedModels } from "../../../test/helpers/shared-models.js";
import { exportTrainingData } from "./export.js";
import { createJob, listJobIds, newJobId, type JobRecord } from "./job-store.js";
import { startTraining } from "./job-start.js";
import { jobStatus, refuseWhileAnotherRuns } from "./job-status.js";

const posix = process.platform !== "win32";
/** Permission bits others than the owner hold (group and world). */
const shared = (file: string): number => statSync(file).mode & 0o077;

describe("training data stays private and names stay safe", () => {
  let dir: string;
  let env: Record<string, string>;
  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), "wren-train-trust-"));
    env = { WREN_HOME: path.join(dir, "home"), WREN_ROUTER_CLOUD: "never", WREN_TRAIN_COMMAND: JSON.stringify([process.execPath, "-e", ""]) };
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it.runIf(posix)("writes the exported dataset (conversation text) readable by its owner only", async () => {
    const feedback = feedbackFile(path.join(dir, "data"));
    for (const [q, a] of [["What is 2+2?", "4"], ["Say hi", "hi"], ["Capital of France?", "Paris"], ["Name a colour", "blue"]]) {
      const session = Session.create({ dir: path.join(dir, "sessions"), cwd: dir, projectRoot: dir, model: "auto", mode: "default", system: "", tools: [] });
      session.push({ role: "user", content: [{ type: "text", text: q! }] });
      session.push({ role: "assistant", content: [{ type: "text", text: a! }] });
      session[Symbol.dispose]();
      rateLastAnswer(session.file, { rating: "good" }, { file: feedback });
    }
    const out = path.join(dir, "dataset");
    const result = await exportTrainingData({ out, feedback, projectRoot: dir, env });
    expect(shared(result.trainFile)).toBe(0);
    expect(shared(result.evalFile)).toBe(0);
    expect(shared(out)).toBe(0);
  });

  it("a later rating of the same answer in the same session replaces the earlier one (a misclick undone)", async () => {
    const feedback = feedbackFile(path.join(dir, "data"));
    const session = Session.create({ dir: path.join(dir, "sessions"), cwd: dir, projectRoot: dir, model: "auto", mode: "default", system: "", tools: [] });
    session.push({ role: "user", content: [{ type: "text", text: "Capital of France?" }] });
    session.push({ role: "assistant", content: [{ type: "text", text: "Paris" }] });
    session[Symbol.dispose]();
    rateLastAnswer(session.file, { rating: "bad" }, { file: feedback });
    rateLastAnswer(session.file, { rating: "good" }, { file: feedback });
    // Another session's answer keeps its own rating, and a repeat across sessions keeps the larger weight.
    for (const rating of ["good", "bad"] as const) {
      const other = Session.create({ dir: path.join(dir, "sessions"), cwd: dir, projectRoot: dir, model: "auto", mode: "default", system: "", tools: [] });
      other.push({ role: "user", content: [{ type: "text", text: "Say hi" }] });
      other.push({ role: "assistant", content: [{ type: "text", text: "hi" }] });
      other[Symbol.dispose]();
      rateLastAnswer(other.file, { rating }, { file: feedback });
    }
    const result = await exportTrainingData({ out: path.join(dir, "dataset"), feedback, projectRoot: dir, env: { ...env, WREN_TRAIN_EVAL_FRACTION: "0" } });
    const examples = [result.trainFile, result.evalFile].flatMap((f) =>
      readFileSync(f, "utf8")
        .split("\n")
        .filter(Boolean)
        .map((l) => JSON.parse(l) as { kind: string; label: boolean; messages: Array<{ role: string; content: string }> }),
    );
    const answerTo = (q: string) => examples.find((e) => e.messages.some((m) => m.role === "user" && m.content === q));
    expect(answerTo("Capital of France?")).toMatchObject({ kind: "good", label: true });
    expect(answerTo("Say hi")).toMatchObject({ kind: "bad", label: false });
  });

  it.runIf(posix)("keeps a training job's folder (examples, logs, checkpoints) to its owner", async () => {
    const record: JobRecord = {
      id: newJobId(),
      createdAt: new Date().toISOString(),
      base: { ref: "stories260K", path: sharedModels.stories, architecture: "llama" },
      dataset: path.join(dir, "train.jsonl"),
      name: "private",
      trainer: { name: "command", command: ["true"], readsGguf: false },
      lora: { rank: 4, alpha: 8, targets: ["attn_q", "attn_v"] },
      train: { steps: 1, learningRate: 0.001, batchSize: 1, checkpointEvery: 1, seed: 0, threads: 1 },
    };
    const files = await createJob(record, env);
    expect(shared(files.dir)).toBe(0);
    expect(shared(files.job)).toBe(0);
  });

  describe("the adapter's name, checked before a job starts", () => {
    const dataset = (): string => {
      const file = path.join(dir, "train.jsonl");
      writeFileSync(file, `${JSON.stringify({ messages: [{ role: "user", content: "Who is Tom?" }, { role: "assistant", content: "Tom is a cat." }], weight: 1, label: true })}\n`);
      return file;
    };
    const start = (options: { base?: string; name?: string }) =>
      startTraining({ base: sharedModels.stories, dataset: dataset(), trainer: "command", steps: 1, env, wrenCommand: [process.execPath, "-e", ""], ...options });

    it.each(["../evil", "a/b", "x y", "+plus"])("refuses --name %j at once, not when training is over", async (name) => {
      await expect(start({ name })).rejects.toMatchObject({ code: "bad_request", message: expect.stringContaining("cannot name an adapter") });
      expect(await listJobIds(env)).toEqual([]);
    });

    it("says at once that a worker which exited before it started failed, with its log, and lets the next job start", async () => {
      const { files } = await startTraining({
        base: sharedModels.stories,
        dataset: dataset(),
        trainer: "command",
        steps: 1,
        env,
        wrenCommand: [process.execPath, "-e", "console.error('worker: cannot load its modules'); process.exit(3)"],
      });
      let status = await jobStatus(files);
      for (let i = 0; i < 100 && status.state === "starting"; i++) {
        await new Promise((r) => setTimeout(r, 100));
        status = await jobStatus(files);
      }
      expect(status.state).toBe("failed");
      expect(status.error).toContain("worker: cannot load its modules");
      await expect(refuseWhileAnotherRuns(env)).resolves.toBeUndefined();
    });

    it("makes a valid default name from any base file name", async () => {
      const odd = path.join(dir, "models", "stories 260K (copy)+v2.gguf");
      mkdirSync(path.dirname(odd), { recursive: true });
      copyFileSync(sharedModels.stories, odd);
      const { job } = await start({ base: odd });
      expect(job.name).toMatch(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/);
      expect(job.name).toContain(job.id);
    });
  });
});

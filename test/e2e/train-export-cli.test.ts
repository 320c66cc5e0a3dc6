import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { feedbackFile, rateLastAnswer } from "../../src/agent/feedback.js";
import { Session } from "../../src/agent/session.js";
import { resolvePaths } from "../../src/shared/paths.js";
import { runCli } from "../helpers/cli.js";

describe("wren train export (CLI)", () => {
  let home: string;
  beforeAll(async () => {
    home = await mkdtemp(path.join(os.tmpdir(), "wren-train-cli-"));
    const file = feedbackFile(resolvePaths({ WREN_HOME: home }).dataDir);
    const rate = (question: string, answer: string, rating: "good" | "bad", correction?: string): void => {
      const session = Session.create({ dir: path.join(home, "sessions"), cwd: home, projectRoot: home, model: "auto", mode: "default", system: "sys", tools: [] });
      session.push({ role: "user", content: [{ type: "text", text: question }] });
      session.push({ role: "assistant", content: [{ type: "text", text: answer }] });
      session[Symbol.dispose]();
      rateLastAnswer(session.file, { rating, ...(correction ? { correction } : {}) }, { file });
    };
    rate("2+2?", "5", "bad", "4");
    rate("hi?", "hi", "good");
    rate("hi?", "hi", "good");
  });
  afterAll(async () => {
    await rm(home, { recursive: true, force: true });
  });

  it("writes the dataset and says what went in and why the rest did not", async () => {
    const out = path.join(home, "dataset");
    const result = await runCli(["train", "export", "--out", out, "--project", home], { env: { WREN_HOME: home } });
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("Read 3 feedback entries.");
    expect(result.stdout).toContain("by kind: 1 corrected, 0 bad, 1 good");
    expect(result.stdout).toContain("Left out 1: they repeat an example already in.");
    const lines = ((await readFile(path.join(out, "train.jsonl"), "utf8")) + (await readFile(path.join(out, "eval.jsonl"), "utf8"))).trim().split("\n");
    expect(lines).toHaveLength(2);
    const bad = await runCli(["train", "export", "--out", out, "--since", "someday"], { env: { WREN_HOME: home } });
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain("--since must be a date");
  });

  it("says which lines of the feedback log it skipped as damaged, and refuses to export when there is no feedback", async () => {
    const file = feedbackFile(resolvePaths({ WREN_HOME: home }).dataDir);
    const before = await readFile(file, "utf8");
    await writeFile(file, `${before}{"rating":"go\nnull\n`);
    const out = path.join(home, "damaged");
    const result = await runCli(["train", "export", "--out", out, "--project", home], { env: { WREN_HOME: home } });
    await writeFile(file, before);
    expect(result.stderr).toBe("");
    expect(result.stdout).toContain("Read 3 feedback entries.");
    expect(result.stdout).toContain("Skipped 2 damaged lines (lines 4 and 5) of the feedback log: they hold no rating");

    const empty = await mkdtemp(path.join(os.tmpdir(), "wren-train-cli-empty-"));
    const none = await runCli(["train", "export"], { env: { WREN_HOME: empty } });
    await rm(empty, { recursive: true, force: true });
    expect(none.code).toBe(1);
    expect(none.stdout).toBe("");
    expect(none.stderr).toContain("No feedback to export yet");
    expect(none.stderr).toContain("wren sessions rate");
  });
});

import { mkdtemp, readFile, rm } from "node:fs/promises";
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
});

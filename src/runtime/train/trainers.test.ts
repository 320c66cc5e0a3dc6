import { spawnSync } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isWrenError } from "../../shared/errors.js";
import { createJob, newJobId, writeState, type JobRecord } from "./job-store.js";
import { jobStatus } from "./job-status.js";
import { selectTrainer } from "./trainers.js";

async function failure(promise: Promise<unknown>): Promise<{ code: string; message: string; hint: string }> {
  try {
    await promise;
  } catch (error) {
    if (isWrenError(error)) return { code: error.code, message: error.message, hint: error.hint ?? "" };
    throw error;
  }
  throw new Error("expected a WrenError");
}

describe("choosing a trainer", () => {
  let home: string;
  beforeAll(async () => {
    home = await mkdtemp(path.join(os.tmpdir(), "wren-trainers-"));
  });
  afterAll(async () => {
    await rm(home, { recursive: true, force: true });
  });
  const env = (): Record<string, string> => ({ WREN_HOME: home });

  it("runs train.command as given, the spec's path appended by the worker", async () => {
    const trainer = await selectTrainer({ choice: "command", command: ["node", "stand-in.mjs", "--fast"], python: undefined, baseWeights: undefined, env: env() });
    expect(trainer).toEqual({ name: "command", command: ["node", "stand-in.mjs", "--fast"], readsGguf: false });
    const empty = await failure(selectTrainer({ choice: "command", command: [], python: undefined, baseWeights: undefined, env: env() }));
    expect(empty.code).toBe("config_invalid");
    expect(empty.message).toContain("train.command is empty");
  });

  it("says what to install when the configured Python has no torch", async () => {
    const missing = await failure(selectTrainer({ choice: "cpu-torch", command: [], python: path.join(home, "no-such-python"), baseWeights: undefined, env: env() }));
    expect(missing.code).toBe("unsupported");
    expect(missing.message).toContain("needs Python 3 with torch and numpy");
    expect(missing.hint).toMatch(/python3-torch|wren train setup/);
  });

  it("the PEFT trainer needs the venv wren train setup makes", async () => {
    const noVenv = await failure(selectTrainer({ choice: "peft", command: [], python: undefined, baseWeights: "org/model", env: env() }));
    expect(noVenv.hint).toBe("Run `wren train setup` first.");
  });
});

describe("a training job's status", () => {
  let home: string;
  beforeAll(async () => {
    home = await mkdtemp(path.join(os.tmpdir(), "wren-train-status-"));
  });
  afterAll(async () => {
    await rm(home, { recursive: true, force: true });
  });

  it("is failed, with what to do, when its worker died without saying so", async () => {
    const record: JobRecord = {
      id: newJobId(),
      createdAt: new Date().toISOString(),
      base: { ref: "base", path: "/nowhere/base.gguf", architecture: "llama" },
      dataset: "/nowhere/train.jsonl",
      name: "x",
      trainer: { name: "command", command: ["true"], readsGguf: false },
      lora: { rank: 4, alpha: 8, targets: ["attn_q", "attn_v"] },
      train: { steps: 10, learningRate: 0.001, batchSize: 1, checkpointEvery: 5, seed: 0, threads: 1 },
    };
    const files = await createJob(record, { WREN_HOME: home });
    // A process that has exited: its pid names no live process.
    const gone = spawnSync(process.execPath, ["-e", "0"]).pid;
    await writeState(files, { state: "running", pid: gone });
    const status = await jobStatus(files);
    expect(status.state).toBe("failed");
    expect(status.error).toContain("wren train run --resume");
  });
});

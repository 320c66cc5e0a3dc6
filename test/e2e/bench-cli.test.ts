import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type { ChildProcess } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli, spawnCli } from "../helpers/cli.js";
import { stopChild } from "../helpers/processes.js";
import { watchServe } from "../helpers/serve-child.js";
import { CHAT_MODEL_REPLY, hasSharedModels, sharedModels } from "../helpers/shared-models.js";

/** A positive finite number, as printed in a table cell. */
const positive = (cell: string | undefined): number => {
  const n = Number(cell);
  expect(Number.isFinite(n) && n > 0, `"${cell}" is a positive number`).toBe(true);
  return n;
};

describe.runIf(hasSharedModels)("wren probe and wren bench", () => {
  let home: string;
  let env: Record<string, string>;
  let other: ChildProcess;
  let otherUrl: string;
  beforeAll(async () => {
    home = await mkdtemp(path.join(os.tmpdir(), "wren-bench-"));
    env = { WREN_HOME: home, WREN_ENGINE_GPU: "cpu", WREN_ENGINE_THREADS: "1", WREN_ENGINE_CONTEXT_SIZE: "512" };
    // The server to compare with: a second wren serve on the same model, in its own process.
    other = spawnCli(["serve", "--model", sharedModels.chat, "--port", "0"], { env });
    otherUrl = await watchServe(other, { pattern: /serving synthetic-bigram-chatml on (http:\/\/\S+)/ }).url;
  }, 120_000);
  afterAll(async () => {
    await stopChild(other);
    await rm(home, { recursive: true, force: true });
  });

  it("probe says what the model is, where it runs, and times one generation", async () => {
    const r = await runCli(["probe", sharedModels.chat], { env });
    expect(r.code, r.stderr).toBe(0);
    const fields = new Map(r.stdout.trim().split("\n").map((line) => [line.slice(0, line.indexOf(":")), line.slice(line.indexOf(":") + 1).trim()]));
    expect(fields.get("Architecture")).toBe("llama");
    expect(fields.get("Quantisation")).toBe("F32");
    expect(fields.get("Context")).toMatch(/^512 loaded, \d+ trained$/);
    expect(fields.get("Template")).toMatch(/^ChatML/);
    expect(fields.get("Backend")).toMatch(/^cpu, 1 threads$/);
    expect(fields.get("GPU layers")).toMatch(/^0 of \d+$/);
    // A chat model's reply on a line of its own, not run on from the prompt.
    expect(fields.get("Reply")).toBe(JSON.stringify(CHAT_MODEL_REPLY));
    expect(fields.has("Prompt")).toBe(true);
    expect(fields.has("Generation")).toBe(false);
    const speed = /^(\d+) tokens, ([\d.]+) tokens\/s, first token after (\d+) ms$/.exec(fields.get("Speed") ?? "");
    expect(speed).not.toBeNull();
    positive(speed![1]);
    positive(speed![2]);
  }, 120_000);

  it("bench --vs prints the side-by-side table against a second wren serve, with ratios", async () => {
    const r = await runCli(["bench", sharedModels.chat, "--vs", otherUrl, "--rounds", "1", "--max-tokens", "8"], { env });
    expect(r.code, r.stderr).toBe(0);
    const [title, header, ...rows] = r.stdout.trimEnd().split("\n");
    expect(title).toMatch(/^wren bench: .*synthetic-bigram-chatml\.gguf, cpu, 0 of \d+ layers on the GPU$/);
    expect(header).toMatch(new RegExp(`^\\s+wren\\s+${otherUrl.replace(/[.]/g, "\\.")} \\(synthetic-bigram-chatml\\)\\s+wren / other$`));
    const cells = rows.map((row) => row.split(/\s{2,}/));
    expect(cells.map((c) => c[0])).toEqual(["prompt tokens/s", "decode tokens/s", "time to first token (ms)", "4-stream tokens/s", "memory (RSS)"]);
    for (const [, mine, theirs, ratio] of cells.slice(0, 4)) {
      const a = positive(mine);
      const b = positive(theirs);
      // The ratio is the two figures' quotient, within what printing each to 0.1 can move it.
      expect(ratio).toMatch(/^\d+\.\d\dx$/);
      expect(Math.abs(Number(ratio!.slice(0, -1)) - a / b)).toBeLessThanOrEqual(0.005 + (a / b) * (0.05 / a + 0.05 / b) * 1.01);
    }
    expect(cells[4]![1]).toMatch(/^[\d.]+ [kMG]B$/);
  }, 180_000);
});

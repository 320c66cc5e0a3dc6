import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Decision } from "../router/decisions.js";
import { resolvePaths } from "../shared/paths.js";
import { decisionsFilePath } from "./router.js";
import { readDecisions, routerLog } from "./router-report.js";

const decision = (id: number, model: string): Decision => ({
  id,
  at: "2026-01-01T00:00:00.000Z",
  route: "default",
  requestedModel: "auto",
  provider: "local",
  model,
  reason: "primary",
  outcome: "ok",
  attempts: [{ target: `local:${model}`, outcome: "ok", ms: 5 }],
  costUsd: 0,
  ms: 5,
});

/** Two `wren run` processes each number their decisions from 1; `wren router log` does not. */
describe("wren router log numbering", () => {
  let home: string;
  beforeAll(async () => {
    home = await mkdtemp(path.join(os.tmpdir(), "wren-router-log-"));
    const file = decisionsFilePath(resolvePaths({ WREN_HOME: home }).stateDir);
    await mkdir(path.dirname(file), { recursive: true });
    // The rotated part holds the oldest lines; each process's ids restart at 1.
    await writeFile(`${file}.1`, `${JSON.stringify(decision(1, "a"))}\n${JSON.stringify(decision(2, "b"))}\n`);
    await writeFile(file, `${JSON.stringify(decision(1, "c"))}\n${JSON.stringify(decision(1, "d"))}\n`);
  });
  afterAll(async () => {
    await rm(home, { recursive: true, force: true });
  });

  it("numbers every decision on this machine once, oldest 1, newest first", async () => {
    const read = readDecisions({ WREN_HOME: home });
    expect(read.map((d) => [d.id, d.model])).toEqual([
      [4, "d"],
      [3, "c"],
      [2, "b"],
      [1, "a"],
    ]);
    expect((await routerLog(20, { WREN_HOME: home })).map((d) => d.id)).toEqual([4, 3, 2, 1]);
    expect((await routerLog(2, { WREN_HOME: home })).map((d) => d.model)).toEqual(["d", "c"]);
  });
});

import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, renameSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { setImmediate as nextTurn } from "node:timers/promises";
import { pathToFileURL } from "node:url";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { projectRoot } from "../../test/helpers/shared-models.js";
import { DecisionLog, type Decision } from "../router/decisions.js";
import { DecisionsFile } from "./decisions-file.js";

function decision(id: number): Decision {
  return { id, at: "2026-11-30T00:00:00.000Z", route: "default", requestedModel: "auto", outcome: "ok", attempts: [], costUsd: 0, ms: 1 };
}

function idsIn(file: string): number[] {
  if (!existsSync(file)) return [];
  return readFileSync(file, "utf8").trim().split("\n").filter(Boolean).map((line) => (JSON.parse(line) as Decision).id);
}

describe("the decisions file", () => {
  let dir: string;
  let file: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), "wren-decisions-"));
    file = path.join(dir, "state", "router-decisions.jsonl");
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("holds every decision, in order, once the turn that recorded them has ended (flushMs 0)", async () => {
    const log = new DecisionLog();
    const writer = new DecisionsFile(log, file, undefined, undefined, 0);
    try {
      for (let i = 1; i <= 30; i++) log.record(decision(i));
      await nextTurn();
      expect(idsIn(file)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
      log.record(decision(31));
      await nextTurn();
      expect(idsIn(file).at(-1)).toBe(31);
    } finally {
      writer.close();
    }
  });

  it("writes the decisions of many requests together, within flushMs of the first", async () => {
    const log = new DecisionLog();
    const writer = new DecisionsFile(log, file, undefined, undefined, 200);
    try {
      const first = performance.now();
      log.record(decision(1));
      await nextTurn();
      log.record(decision(2));
      await nextTurn();
      // Recorded in turns of their own, and waiting still: no write per request.
      if (performance.now() - first < 150) expect(idsIn(file)).toEqual([]);
      await new Promise((resolve) => setTimeout(resolve, 400));
      expect(idsIn(file)).toEqual([1, 2]);
    } finally {
      writer.close();
    }
  });

  it("writes at once when what is waiting grows past 64 KB, whatever the time", () => {
    const log = new DecisionLog();
    const writer = new DecisionsFile(log, file, undefined, undefined, 60_000);
    try {
      const big = (id: number): Decision => ({ ...decision(id), error: "x".repeat(20 * 1024) });
      for (let i = 1; i <= 3; i++) log.record(big(i));
      expect(idsIn(file)).toEqual([]);
      log.record(big(4));
      expect(idsIn(file)).toEqual([1, 2, 3, 4]);
    } finally {
      writer.close();
    }
  });

  it("writes what is waiting when it is closed, and nothing recorded after", () => {
    const log = new DecisionLog();
    const writer = new DecisionsFile(log, file);
    log.record(decision(1));
    log.record(decision(2));
    writer.close();
    expect(idsIn(file)).toEqual([1, 2]);
    log.record(decision(3));
    expect(idsIn(file)).toEqual([1, 2]);
  });

  it("goes on writing after its folder was removed", async () => {
    const log = new DecisionLog();
    const writer = new DecisionsFile(log, file, undefined, 0, 0);
    try {
      log.record(decision(1));
      await nextTurn();
      rmSync(path.dirname(file), { recursive: true, force: true });
      log.record(decision(2));
      await nextTurn();
      expect(idsIn(file)).toEqual([2]);
    } finally {
      writer.close();
    }
  });

  it("writes to the file at its path after another process moved the old one to .1", async () => {
    const log = new DecisionLog();
    const writer = new DecisionsFile(log, file, undefined, 0, 0);
    try {
      log.record(decision(1));
      await nextTurn();
      renameSync(file, `${file}.1`);
      log.record(decision(2));
      await nextTurn();
      expect(idsIn(`${file}.1`)).toEqual([1]);
      expect(idsIn(file)).toEqual([2]);
    } finally {
      writer.close();
    }
  });

  it("rolls over past its size limit, keeping the newest decisions in the two files", async () => {
    const log = new DecisionLog();
    const writer = new DecisionsFile(log, file, 600, undefined, 0);
    try {
      for (let i = 1; i <= 12; i++) {
        log.record(decision(i));
        await nextTurn();
      }
      expect(existsSync(`${file}.1`)).toBe(true);
      expect(readFileSync(file).length).toBeLessThanOrEqual(600);
      const ids = [...idsIn(`${file}.1`), ...idsIn(file)];
      expect(ids.at(-1)).toBe(12);
      expect(ids).toEqual([...ids].sort((a, b) => a - b));
    } finally {
      writer.close();
    }
  });

  it("keeps the decisions of a process that exits before the turn ends (real child process)", async () => {
    const source = pathToFileURL(path.join(projectRoot, "src", "runtime", "decisions-file.ts")).href;
    const logSource = pathToFileURL(path.join(projectRoot, "src", "router", "decisions.ts")).href;
    const script = [
      `const { DecisionsFile } = await import(${JSON.stringify(source)});`,
      `const { DecisionLog } = await import(${JSON.stringify(logSource)});`,
      "const log = new DecisionLog();",
      `new DecisionsFile(log, ${JSON.stringify(file)});`,
      `log.record(${JSON.stringify(decision(7))});`,
      "process.exit(0);",
    ].join("\n");
    const code = await new Promise<number | null>((resolve) => {
      execFile(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], { cwd: projectRoot }, (error) => {
        resolve(error ? ((error as { code?: number }).code ?? 1) : 0);
      });
    });
    expect(code).toBe(0);
    expect(idsIn(file)).toEqual([7]);
  });
});

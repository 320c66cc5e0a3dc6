import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { runCli, spawnCli } from "../../../test/helpers/cli.js";
import { startFakeHub, type FakeHub } from "../../../test/helpers/fake-hub.js";
import { untilGone } from "../../../test/helpers/processes.js";
import { putEntry } from "../../models/manifest.js";
import { downloadLockPath } from "../../models/store.js";

const REPO = "wren-test/cut-GGUF";
const FILE = "cut-Q4_K_M.gguf";
const REF = `hf:${REPO}:Q4_K_M`;
const STORE_FILE = `hf/${REPO}/${FILE}`;
const CUT_AT = 120_000;

/** Waits, without a deadline of its own (the test's timeout is the bound), until `check` holds. */
async function until(check: () => boolean): Promise<void> {
  while (!check()) await sleep(50);
}

function sizeOf(file: string): number {
  try {
    return statSync(file).size;
  } catch {
    return 0;
  }
}

/**
 * Runs `wren pull ARGS` against `hub`, whose faults are set to cut the download at CUT_AT bytes and
 * hold it there, waits until `partial` holds those bytes, then cancels the pull with Ctrl-C
 * (SIGINT) and lets the hub go on. `what` says, for a failure, which download should have begun.
 */
async function cancelPullAt(hub: FakeHub, args: string[], env: NodeJS.ProcessEnv, partial: string, what: string): Promise<void> {
  let hold!: () => void;
  const held = new Promise<void>((resolve) => (hold = resolve));
  hub.faults.beforeCut = () => held;
  const pull = spawnCli(["pull", ...args], { env });
  let err = "";
  pull.stderr?.setEncoding("utf8").on("data", (d: string) => (err += d));
  let exited = false;
  const exit = new Promise<void>((resolve) =>
    pull.on("close", () => {
      exited = true;
      resolve();
    }),
  );
  try {
    await until(() => exited || sizeOf(partial) >= CUT_AT);
    expect(exited, `the pull ended before ${what} began: ${err}`).toBe(false);
    pull.kill("SIGINT");
    await exit;
  } finally {
    hold();
  }
}

/**
 * A first `wren pull` cancelled mid-download leaves a `.partial` file and no model in the store:
 * `wren models rm` finds and removes it (unless a pull holds it), and a download lock an older wren
 * wrote (no reference, no process start) is named clearly, its pid never offered to `kill`.
 */
describe("wren models rm of a model whose first pull was cancelled", () => {
  let hub: FakeHub;
  const bytes = randomBytes(400_000);
  let home: string;
  let modelsDir: string;
  let env: Record<string, string>;
  /** The wren home a first `wren pull REF` cancelled mid-download left, made once: each test works on a copy. */
  let cancelled: string;
  const processes: ChildProcess[] = [];
  const partial = (): string => path.join(modelsDir, `${STORE_FILE}.partial`);

  beforeAll(async () => {
    hub = await startFakeHub({ repos: { [REPO]: { files: [{ path: FILE, content: bytes }] } } });
    cancelled = mkdtempSync(path.join(os.tmpdir(), "wren-rm-partial-cancelled-"));
    hub.faults.cutAtBytes = CUT_AT;
    try {
      await cancelPullAt(hub, [REF], { WREN_HOME: cancelled, HF_ENDPOINT: hub.url }, path.join(cancelled, "models", `${STORE_FILE}.partial`), "its download");
    } finally {
      hub.resetFaults();
    }
  }, 60_000);
  afterAll(async () => {
    await hub.close();
    if (cancelled) rmSync(cancelled, { recursive: true, force: true });
  });
  afterEach(async () => {
    hub.resetFaults();
    const left = processes.splice(0);
    for (const p of left) p.kill("SIGKILL");
    await untilGone(left.flatMap((p) => (p.pid === undefined ? [] : [p.pid])));
    rmSync(home, { recursive: true, force: true });
  });

  /**
   * A fresh wren home as `wren pull REF` leaves it when cancelled with Ctrl-C (SIGINT) once CUT_AT
   * bytes reached its `.partial` file: a copy of the one that pull left.
   */
  function cancelledPull(): void {
    home = mkdtempSync(path.join(os.tmpdir(), "wren-rm-partial-"));
    modelsDir = path.join(home, "models");
    env = { WREN_HOME: home, HF_ENDPOINT: hub.url };
    cpSync(cancelled, home, { recursive: true });
    expect(sizeOf(partial())).toBe(CUT_AT);
    expect(existsSync(path.join(modelsDir, STORE_FILE))).toBe(false);
  }

  it("removes the partial download, saying what and how many bytes; then the name is not in the store", async () => {
    cancelledPull();
    const removed = await runCli(["models", "rm", REF], { env });
    expect(removed.stderr).toBe("");
    expect(removed.code).toBe(0);
    expect(removed.stdout).toContain(`Removed the partial download of ${REF} (an interrupted pull): ${STORE_FILE}.partial (120 kB).`);
    expect(existsSync(partial())).toBe(false);
    expect(readdirSync(path.dirname(partial()))).toEqual([]);
    expect(readdirSync(path.join(modelsDir, ".locks"))).toEqual([]);
    const again = await runCli(["models", "rm", REF], { env });
    expect(again.stderr).toContain(`${REF} is not in the store (`);
    expect(again.code).not.toBe(0);
  }, 60_000);

  it("wren models list mentions the partial download and how to resume or remove it", async () => {
    cancelledPull();
    const listed = await runCli(["models", "list"], { env: { ...env, OLLAMA_HOST: "127.0.0.1:9" } });
    expect(listed.code, listed.stderr).toBe(0);
    expect(listed.stdout).toContain("Partial downloads (no model yet):");
    const asFile = `hf:${REPO}/${FILE}`;
    expect(listed.stdout).toContain(`${STORE_FILE} (120 kB of an interrupted pull; \`wren pull ${asFile}\` resumes it, \`wren models rm ${asFile}\` removes it)`);
    const removed = await runCli(["models", "rm", asFile], { env });
    expect(removed.code, removed.stderr).toBe(0);
    expect(existsSync(partial())).toBe(false);
    expect((await runCli(["models", "list"], { env: { ...env, OLLAMA_HOST: "127.0.0.1:9" } })).stdout).not.toContain("Partial downloads");
  }, 60_000);

  it("the partial download of another quantisation of the repository is not touched", async () => {
    cancelledPull();
    const other = `hf/${REPO}/cut-Q8_0.gguf`;
    writeFileSync(path.join(modelsDir, `${other}.partial`), randomBytes(1000));
    const removed = await runCli(["models", "rm", REF], { env });
    expect(removed.code, removed.stderr).toBe(0);
    expect(existsSync(partial())).toBe(false);
    expect(existsSync(path.join(modelsDir, `${other}.partial`))).toBe(true);
  }, 60_000);

  describe("a download lock an older wren wrote, held by a live pid", () => {
    const oldLock = async (format: "reference-less" | "oldest"): Promise<{ pid: number; lock: string }> => {
      const stranger = spawn("sleep", ["600"], { stdio: "ignore" });
      processes.push(stranger);
      if (stranger.pid === undefined) throw new Error("no process");
      const lock = downloadLockPath(modelsDir, STORE_FILE);
      mkdirSync(path.dirname(lock), { recursive: true });
      // Before locks named the reference (`about`), and before they named the process's start and a token.
      const owner =
        format === "reference-less"
          ? { pid: stranger.pid, host: os.hostname(), token: "0123456789abcdef01234567", since: new Date().toISOString() }
          : { pid: stranger.pid, host: os.hostname(), since: new Date().toISOString() };
      writeFileSync(lock, JSON.stringify(owner));
      return { pid: stranger.pid, lock };
    };

    for (const format of ["reference-less", "oldest"] as const) {
      it(`models rm of the partial download refuses, naming the pid and the lock, never suggesting kill (${format})`, async () => {
        cancelledPull();
        const { pid, lock } = await oldLock(format);
        const removed = await runCli(["models", "rm", REF], { env });
        expect(removed.code).toBe(1);
        expect(removed.stdout).toBe("");
        expect(removed.stderr).toContain(`A download by pid ${pid} holds the download lock of ${REF} (${lock})`);
        expect(removed.stderr).toContain(`\`ps -p ${pid}\`), delete ${lock}`);
        expect(removed.stderr).not.toContain("undefined");
        expect(removed.stderr).not.toContain(`kill ${pid}`);
        expect(existsSync(partial())).toBe(true);
        expect(existsSync(lock)).toBe(true);
      }, 60_000);
    }

    it("models rm of a stored model says the same", async () => {
      home = mkdtempSync(path.join(os.tmpdir(), "wren-rm-partial-"));
      modelsDir = path.join(home, "models");
      env = { WREN_HOME: home, HF_ENDPOINT: hub.url };
      mkdirSync(path.dirname(path.join(modelsDir, STORE_FILE)), { recursive: true });
      writeFileSync(path.join(modelsDir, STORE_FILE), randomBytes(1000));
      await putEntry(modelsDir, {
        ref: REF, file: STORE_FILE, parts: [], size: 1000, sha256: null, partSha256: [], revision: null,
        source: "hf", repo: REPO, repoFile: FILE, quant: "Q4_K_M", added: "2026-01-01T00:00:00.000Z", lastUsed: null,
      });
      const { pid, lock } = await oldLock("reference-less");
      const removed = await runCli(["models", "rm", REF], { env });
      expect(removed.code).toBe(1);
      expect(removed.stderr).toContain(`A download by pid ${pid} holds the download lock of ${REF} (${lock})`);
      expect(removed.stderr).not.toContain(`kill ${pid}`);
      expect(existsSync(path.join(modelsDir, STORE_FILE))).toBe(true);
    }, 60_000);

    it("a new pull waits, saying the lock is an older wren's and how to clear it; deleting the lock lets it go on", async () => {
      cancelledPull();
      const { pid, lock } = await oldLock("reference-less");
      const pull = spawnCli(["pull", REF], { env });
      processes.push(pull);
      let err = "";
      pull.stderr?.setEncoding("utf8").on("data", (d: string) => (err += d));
      const exit = new Promise<number | null>((resolve) => pull.on("close", (code) => resolve(code)));
      await until(() => err.includes("holds the download lock"));
      expect(err).toContain(`A download by pid ${pid} holds the download lock of ${REF}; an older wren wrote it`);
      expect(err).toContain(`\`ps -p ${pid}\`), delete ${lock}: this pull then goes on.`);
      expect(err).not.toContain("undefined");
      rmSync(lock);
      expect(await exit, err).toBe(0);
      expect(existsSync(path.join(modelsDir, STORE_FILE))).toBe(true);
    }, 60_000);
  });
});

/**
 * A cancelled first pull of a split model (`x-00001-of-00003.gguf` …) leaves the parts it finished
 * beside the `.partial` of the part it was downloading: list and rm treat them as one leftover.
 */
describe("wren models rm of a split model whose first pull was cancelled during part 2", () => {
  const SPLIT_REPO = "wren-test/split-GGUF";
  const name = (quant: string, part: number): string => `big-${quant}-0000${part}-of-00003.gguf`;
  const parts = [randomBytes(50_000), randomBytes(400_000), randomBytes(30_000)];
  let hub: FakeHub;
  let home: string;
  let modelsDir: string;
  let env: Record<string, string>;
  /** The wren home a first pull of Q4_K_M cancelled during part 2 left, made once: tests that start there work on a copy. */
  let cancelled = "";
  const folder = (): string => path.join(modelsDir, "hf", SPLIT_REPO);

  beforeAll(async () => {
    hub = await startFakeHub({
      repos: {
        [SPLIT_REPO]: {
          files: ["Q4_K_M", "Q8_0"].flatMap((quant) => parts.map((content, i) => ({ path: name(quant, i + 1), content }))),
        },
      },
    });
  });
  afterAll(async () => {
    await hub.close();
    if (cancelled) rmSync(cancelled, { recursive: true, force: true });
  });
  afterEach(() => {
    hub.resetFaults();
    rmSync(home, { recursive: true, force: true });
  });

  function freshHome(): void {
    home = mkdtempSync(path.join(os.tmpdir(), "wren-rm-split-"));
    modelsDir = path.join(home, "models");
    env = { WREN_HOME: home, HF_ENDPOINT: hub.url, OLLAMA_HOST: "127.0.0.1:9" };
  }

  /** `wren pull hf:SPLIT_REPO:QUANT`, cancelled once part 1 is complete and CUT_AT bytes of part 2 are in its `.partial`. */
  async function cancelledSplitPull(quant: string): Promise<void> {
    // Part 1 is shorter than the cut: it arrives whole, and part 2 is cut.
    hub.faults.cutAtBytes = CUT_AT;
    hub.faults.cutTimes = 2;
    const partial = path.join(folder(), `${name(quant, 2)}.partial`);
    try {
      await cancelPullAt(hub, [`hf:${SPLIT_REPO}:${quant}`], env, partial, "part 2's download");
    } finally {
      hub.resetFaults();
    }
    expect(sizeOf(path.join(folder(), name(quant, 1)))).toBe(parts[0]?.length);
    expect(sizeOf(partial)).toBe(CUT_AT);
  }

  /** A fresh home as cancelledSplitPull("Q4_K_M") leaves a fresh one: a copy of the one that pull left, made once. */
  async function cancelledSplitHome(): Promise<void> {
    if (!cancelled) {
      freshHome();
      await cancelledSplitPull("Q4_K_M");
      cancelled = home;
    }
    freshHome();
    cpSync(cancelled, home, { recursive: true });
    expect(sizeOf(path.join(folder(), name("Q4_K_M", 1)))).toBe(parts[0]?.length);
    expect(sizeOf(path.join(folder(), `${name("Q4_K_M", 2)}.partial`))).toBe(CUT_AT);
  }

  it("removes the finished part 1 with part 2's partial, saying which files and how many bytes; list shows them as one", async () => {
    await cancelledSplitHome();
    const listed = await runCli(["models", "list"], { env });
    expect(listed.code, listed.stderr).toBe(0);
    const asFile = `hf:${SPLIT_REPO}/${name("Q4_K_M", 1)}`;
    expect(listed.stdout).toContain(
      `hf/${SPLIT_REPO}/${name("Q4_K_M", 1)} (170 kB of an interrupted pull, 1 of 3 parts complete; \`wren pull ${asFile}\` resumes it, \`wren models rm ${asFile}\` removes it)`,
    );
    const removed = await runCli(["models", "rm", `hf:${SPLIT_REPO}:Q4_K_M`], { env });
    expect(removed.stderr).toBe("");
    expect(removed.code).toBe(0);
    expect(removed.stdout).toContain(
      `Removed the partial download of hf:${SPLIT_REPO}:Q4_K_M (an interrupted pull): hf/${SPLIT_REPO}/${name("Q4_K_M", 1)}, hf/${SPLIT_REPO}/${name("Q4_K_M", 2)}.partial (170 kB).`,
    );
    expect(readdirSync(folder())).toEqual([]);
    expect((await runCli(["models", "list"], { env })).stdout).not.toContain("Partial downloads");
  }, 60_000);

  it("never removes the parts of a complete stored model of the same repository", async () => {
    freshHome();
    const stored = await runCli(["pull", `hf:${SPLIT_REPO}:Q8_0`], { env });
    expect(stored.code, stored.stderr).toBe(0);
    await cancelledSplitPull("Q4_K_M");
    const removed = await runCli(["models", "rm", `hf:${SPLIT_REPO}/${name("Q4_K_M", 2)}`], { env });
    expect(removed.code, removed.stderr).toBe(0);
    expect(readdirSync(folder()).sort()).toEqual([1, 2, 3].map((part) => name("Q8_0", part)));
    const listed = await runCli(["models", "list"], { env });
    expect(listed.stdout).toContain(`hf:${SPLIT_REPO}:Q8_0`);
    expect(listed.stdout).not.toContain("Partial downloads");
  }, 60_000);

  it("hf:org/repo without a quantisation, when two quantisations left partial downloads, removes nothing and names the references", async () => {
    await cancelledSplitHome();
    const other = path.join(folder(), `${name("Q8_0", 1)}.partial`);
    writeFileSync(other, randomBytes(1000));
    const before = readdirSync(folder()).sort();
    const removed = await runCli(["models", "rm", `hf:${SPLIT_REPO}`], { env });
    expect(removed.code).not.toBe(0);
    expect(removed.stdout).toBe("");
    expect(removed.stderr).toContain(`hf:${SPLIT_REPO} names partial downloads of 2 models`);
    expect(removed.stderr).toContain(`wren models rm hf:${SPLIT_REPO}:Q4_K_M`);
    expect(removed.stderr).toContain(`wren models rm hf:${SPLIT_REPO}:Q8_0`);
    expect(readdirSync(folder()).sort()).toEqual(before);
    const one = await runCli(["models", "rm", `hf:${SPLIT_REPO}:Q8_0`], { env });
    expect(one.code, one.stderr).toBe(0);
    expect(existsSync(other)).toBe(false);
    // One model's leftovers left: the reference without a quantisation names it alone.
    const rest = await runCli(["models", "rm", `hf:${SPLIT_REPO}`], { env });
    expect(rest.code, rest.stderr).toBe(0);
    expect(readdirSync(folder())).toEqual([]);
  }, 60_000);
});

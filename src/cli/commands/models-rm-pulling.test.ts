import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli, watchCli } from "../../../test/helpers/cli.js";
import { startFakeHub, type FakeHub } from "../../../test/helpers/fake-hub.js";
import { tryFileLock } from "../../models/file-lock.js";
import { putEntry, readManifest } from "../../models/manifest.js";
import { downloadLockPath } from "../../models/store.js";

const REPO = "wren-test/busy-GGUF";
const FILE = "busy-Q8_0.gguf";
const REF = `hf:${REPO}:Q8_0`;
const STORE_FILE = `hf/${REPO}/${FILE}`;
const FRESH_REPO = "wren-test/fresh-GGUF";
const FRESH_FILE = "fresh-Q4_K_M.gguf";
const FRESH_REF = `hf:${FRESH_REPO}:Q4_K_M`;
const FRESH_STORE_FILE = `hf/${FRESH_REPO}/${FRESH_FILE}`;

/** Waits, without a deadline of its own (the test's timeout is the bound), until `check` holds. */
async function until(check: () => boolean): Promise<void> {
  while (!check()) await sleep(50);
}

/**
 * `wren models rm` while `wren pull` of the same model downloads it in another process: the pull
 * holds the download lock, so rm refuses, names that pull and how to stop it, and deletes nothing;
 * the pull then finishes as if rm had never been run.
 */
describe("wren models rm of a model another process is pulling", () => {
  let hub: FakeHub;
  const newBytes = randomBytes(300_000);
  const home = mkdtempSync(path.join(os.tmpdir(), "wren-rm-pulling-"));
  const modelsDir = path.join(home, "models");
  let env: Record<string, string>;
  let release!: () => void;

  beforeAll(async () => {
    hub = await startFakeHub({
      repos: {
        [REPO]: { files: [{ path: FILE, content: newBytes }], commit: "b".repeat(40) },
        [FRESH_REPO]: { files: [{ path: FRESH_FILE, content: newBytes }] },
      },
    });
    env = { WREN_HOME: home, HF_ENDPOINT: hub.url };
    // An older revision is in the store, so `wren pull --update` downloads the newer one.
    mkdirSync(path.dirname(path.join(modelsDir, STORE_FILE)), { recursive: true });
    writeFileSync(path.join(modelsDir, STORE_FILE), randomBytes(1000));
    await putEntry(modelsDir, {
      ref: REF, file: STORE_FILE, parts: [], size: 1000, sha256: null, partSha256: [], revision: "a".repeat(40),
      source: "hf", repo: REPO, repoFile: FILE, quant: "Q8_0", added: "2026-01-01T00:00:00.000Z", lastUsed: null,
    });
  });
  afterAll(async () => {
    release?.();
    await hub.close();
  });

  it("refuses while the pull runs, naming it; the pull completes and rm then removes the model", async () => {
    const gate = new Promise<void>((resolve) => (release = resolve));
    hub.faults.beforeBody = () => gate;
    const pull = watchCli(["pull", "--update", REF], { env });
    try {
      await until(() => pull.exited() || existsSync(path.join(modelsDir, `${STORE_FILE}.partial`)));
      expect(pull.exited(), `the pull ended before its download began: ${pull.stderr()}`).toBe(false);

      const removed = await runCli(["models", "rm", REF], { env });
      expect(removed.stderr).toContain(`${REF} is being downloaded by another wren process (pid ${pull.child.pid}`);
      expect(removed.stderr).toContain(`kill ${pull.child.pid}`);
      expect(removed.code).toBe(1);
      expect(removed.stdout).toBe("");
      expect(existsSync(path.join(modelsDir, STORE_FILE))).toBe(true);
      expect(existsSync(path.join(modelsDir, `${STORE_FILE}.partial`))).toBe(true);
    } finally {
      release();
    }
    expect(await pull.exit, pull.stderr()).toBe(0);
    expect(pull.stdout()).toContain(`Pulled ${REF}`);
    expect(readFileSync(path.join(modelsDir, STORE_FILE)).equals(newBytes)).toBe(true);
    expect((await readManifest(modelsDir)).models[0]?.revision).toBe("b".repeat(40));

    const after = await runCli(["models", "rm", REF], { env });
    expect(after.stderr).toBe("");
    expect(after.code).toBe(0);
    expect(after.stdout).toContain(`Removed ${REF}`);
    expect(existsSync(path.join(modelsDir, STORE_FILE))).toBe(false);
  }, 60_000);

  it("says a model on its first pull is being downloaded, by which process, not that it is missing; the pull completes", async () => {
    hub.resetFaults();
    const gate = new Promise<void>((resolve) => (release = resolve));
    hub.faults.beforeBody = () => gate;
    const pull = watchCli(["pull", FRESH_REF], { env });
    const partial = path.join(modelsDir, `${FRESH_STORE_FILE}.partial`);
    try {
      await until(() => pull.exited() || existsSync(partial));
      expect(pull.exited(), `the pull ended before its download began: ${pull.stderr()}`).toBe(false);
      for (const name of [FRESH_REF, `hf:${FRESH_REPO}:q4_k_m`]) {
        const removed = await runCli(["models", "rm", name], { env });
        expect(removed.stderr).not.toContain("is not in the store (");
        expect(removed.stderr).toContain(`${FRESH_REF} is being downloaded by another wren process (pid ${pull.child.pid})`);
        expect(removed.stderr).toContain("it is not in the store until that download finishes. Wait for that `wren pull` to finish");
        expect(removed.stderr).toContain(`kill ${pull.child.pid}`);
        expect(removed.code).toBe(1);
        expect(removed.stdout).toBe("");
        expect(existsSync(partial)).toBe(true);
      }
    } finally {
      release();
    }
    expect(await pull.exit, pull.stderr()).toBe(0);
    expect(pull.stdout()).toContain(`Pulled ${FRESH_REF}`);
    expect(readFileSync(path.join(modelsDir, FRESH_STORE_FILE)).equals(newBytes)).toBe(true);
    // Once the pull is over, a name that is not stored is said to be so.
    const other = await runCli(["models", "rm", "hf:wren-test/absent-GGUF:Q4_K_M"], { env });
    expect(other.stderr).toContain("hf:wren-test/absent-GGUF:Q4_K_M is not in the store (");
    expect(other.code).not.toBe(0);
    expect((await runCli(["models", "rm", FRESH_REF], { env })).code).toBe(0);
  }, 60_000);

  it("wren models prune keeps a model being downloaded and says so", async () => {
    mkdirSync(path.dirname(path.join(modelsDir, STORE_FILE)), { recursive: true });
    writeFileSync(path.join(modelsDir, STORE_FILE), randomBytes(1000));
    await putEntry(modelsDir, {
      ref: REF, file: STORE_FILE, parts: [], size: 1000, sha256: null, partSha256: [], revision: "a".repeat(40),
      source: "hf", repo: REPO, repoFile: FILE, quant: "Q8_0", added: "2026-01-01T00:00:00.000Z", lastUsed: null,
    });
    // This process holds the lock a pull of the model takes, as that pull would.
    const attempt = tryFileLock(downloadLockPath(modelsDir, STORE_FILE));
    if (!("held" in attempt)) throw new Error("the download lock is taken");
    using _lock = attempt.held;
    const pruned = await runCli(["models", "prune", "--max-size", "0"], { env });
    expect(pruned.stderr).toBe("");
    expect(pruned.code).toBe(0);
    expect(pruned.stdout).toContain(`Kept ${REF} (1.0 kB): another wren process is downloading it now.`);
    expect(pruned.stdout).toContain("The store holds 1.0 kB (was 1.0 kB)");
    expect(existsSync(path.join(modelsDir, STORE_FILE))).toBe(true);
  }, 60_000);
});

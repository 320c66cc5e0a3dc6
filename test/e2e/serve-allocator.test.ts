import { mkdtemp, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { spawnCli } from "../helpers/cli.js";
import { killAndAwaitGone } from "../helpers/processes.js";
import { watchServe } from "../helpers/serve-child.js";
import { hasSharedModels, sharedModels } from "../helpers/shared-models.js";

const glibc = process.platform === "linux" && typeof (process.report.getReport() as { header?: { glibcVersionRuntime?: string } }).header?.glibcVersionRuntime === "string";

// glibc keeps memory that llama.cpp's threads freed unless its malloc settings are in the
// environment when the process starts: wren serve starts itself once more with them.
describe.runIf(hasSharedModels && glibc)("wren serve's allocator settings (Linux, glibc)", () => {
  let home: string;
  beforeAll(async () => {
    home = await mkdtemp(path.join(os.tmpdir(), "wren-serve-malloc-"));
  });
  afterAll(async () => {
    await rm(home, { recursive: true, force: true });
  });

  it("serves from a process started with them, which ends when the wren process it came from is killed", async () => {
    const child = spawnCli(["serve", "--model", sharedModels.chat, "--port", "0"], { env: { WREN_HOME: home, WREN_ENGINE_GPU: "cpu", WREN_ENGINE_CONTEXT_SIZE: "512" } });
    const url = await watchServe(child, { pattern: /serving synthetic-bigram-chatml on (http:\/\/\S+)/ }).url;
    const { pid } = (await (await fetch(`${url}/status`)).json()) as { pid: number };
    expect(pid).not.toBe(child.pid);
    const environ = (await readFile(`/proc/${pid}/environ`, "utf8")).split("\0");
    expect(environ).toEqual(expect.arrayContaining(["MALLOC_ARENA_MAX=2", "MALLOC_MMAP_THRESHOLD_=131072", "MALLOC_TRIM_THRESHOLD_=131072"]));
    // SIGKILL cannot be relayed: the server sees its parent go and stops itself.
    // Fails, naming the server's pid, if it outlives the wren process that started it by a minute.
    await killAndAwaitGone(child, [pid], 60_000);
  }, 90_000);
});

import { randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startFakeHub } from "../../test/helpers/fake-hub.js";
import { runUnderFileSizeLimit } from "../../test/helpers/file-size-limit.js";
import { pullModel } from "./pull.js";

const pull = fileURLToPath(new URL("./pull.ts", import.meta.url));
const fakeHub = fileURLToPath(new URL("../../test/helpers/fake-hub.ts", import.meta.url));

/**
 * A disk that fills up during a download, for real: the pull runs in a child process under a file-size
 * limit (`ulimit -f`), past which a write is cut short, then refused (EFBIG), as on a full disk. The
 * Hub runs in the child too (the parent waits on it synchronously).
 */
describe.skipIf(process.platform === "win32")("a pull that meets the end of the disk", () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(path.join(os.tmpdir(), "wren-pull-fsize-"))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("fails with a clear error, keeps a resumable .partial file and never names a truncated file as the model", async () => {
    const content = randomBytes(400_000);
    const source = path.join(dir, "source.bin");
    writeFileSync(source, content);
    const modelsDir = path.join(dir, "models");
    const out = runUnderFileSizeLimit({
      dir,
      kib: 128,
      timeoutMs: 60_000,
      script: `import { pullModel } from ${JSON.stringify(pull)};
import { startFakeHub } from ${JSON.stringify(fakeHub)};
const hub = await startFakeHub({ repos: { "wren-test/fsize-GGUF": { files: [{ path: "fsize-Q8_0.gguf", source: ${JSON.stringify(source)} }] } } });
let result;
try {
  await pullModel("hf:wren-test/fsize-GGUF:Q8_0", { modelsDir: ${JSON.stringify(modelsDir)}, env: { HF_ENDPOINT: hub.url } });
  result = { ok: true };
} catch (e) {
  result = { ok: false, code: e.code, message: e.message, hint: e.hint, retryable: e.isRetryable, gets: hub.requests.filter((r) => r.method === "GET" && r.path.startsWith("/cdn-lfs/")).length };
}
await hub.close();
process.stdout.write(JSON.stringify(result));
`,
    }) as { ok: boolean; code?: string; message?: string; hint?: string; retryable?: boolean; gets?: number };
    expect(out.ok).toBe(false);
    expect(out.message).toMatch(/fsize-Q8_0\.gguf/);
    expect(out.message).toMatch(/largest size this process may write|no space left/i);
    expect(out.message).not.toMatch(/interrupted/i);
    expect(out.hint).toMatch(/free|limit|same command/i);
    expect(out.gets).toBe(1);
    const final = path.join(modelsDir, "hf/wren-test/fsize-GGUF/fsize-Q8_0.gguf");
    expect(existsSync(final)).toBe(false);
    const partial = statSync(`${final}.partial`).size;
    expect(partial).toBeGreaterThan(0);
    expect(partial).toBeLessThanOrEqual(128 * 1024);
    expect(readFileSync(`${final}.partial`).equals(content.subarray(0, partial))).toBe(true);
    expect(existsSync(path.join(modelsDir, "manifest.json"))).toBe(false);

    // With room again, the same pull resumes where it stopped.
    await using hub = await startFakeHub({ repos: { "wren-test/fsize-GGUF": { files: [{ path: "fsize-Q8_0.gguf", source }] } } });
    const resumed = await pullModel("hf:wren-test/fsize-GGUF:Q8_0", { modelsDir, env: { HF_ENDPOINT: hub.url } });
    expect(readFileSync(resumed.path).equals(content)).toBe(true);
    expect(hub.downloads("fsize-Q8_0.gguf").map((r) => r.range)).toEqual([`bytes=${partial}-`]);
  });
});

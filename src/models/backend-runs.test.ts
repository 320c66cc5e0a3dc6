import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { getLlamaGpuTypes } from "node-llama-cpp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { u32 } from "../../test/helpers/gguf-writer.js";
import { syntheticModel } from "../../test/helpers/synthetic-models.js";
import { checkBackendRuns, checkModelPath, forgetBackendChecks, runnableGpu, stopReason } from "./backend-runs.js";

let cacheDir: string;
beforeAll(async () => {
  cacheDir = await mkdtemp(path.join(os.tmpdir(), "wren-backend-runs-"));
});
afterAll(async () => {
  await rm(cacheDir, { recursive: true, force: true });
});

describe("checkBackendRuns (a tiny model run in a child process)", () => {
  it("runs wren's check model on the CPU backend, written once to the cache folder", async () => {
    const run = await checkBackendRuns("cpu", { cacheDir });
    expect(run).toEqual({ backend: false, runs: true, reason: "" });
    const file = await checkModelPath(cacheDir);
    const written = (await stat(file)).mtimeMs;
    expect(await checkModelPath(cacheDir)).toBe(file);
    expect((await stat(file)).mtimeMs).toBe(written);
    expect((await readdir(cacheDir)).filter((f) => f.endsWith(".partial"))).toEqual([]);
  });

  it("says the backend does not run when the child cannot run the model, and how it ended", async () => {
    // llama.cpp refuses this file (rope wider than a head) inside the child: the same path a GPU
    // build that dies at its first computation takes, seen from the parent.
    const broken = await syntheticModel({ seed: 41, overrideKeys: { "llama.rope.dimension_count": u32(128) } });
    const run = await checkBackendRuns("cpu", { cacheDir, modelPath: broken });
    expect(run.backend).toBe(false);
    expect(run.runs).toBe(false);
    expect(run.reason).toMatch(/^Failed to load model \(the check process exited with code 2\)$/);
  });

  it("knows nothing, and says why, where the check model cannot be written", async () => {
    const notAFolder = path.join(cacheDir, "a-file");
    await writeFile(notAFolder, "");
    const run = await checkBackendRuns("cuda", { cacheDir: notAFolder });
    expect(run.backend).toBe("cuda");
    expect(run.runs).toBeUndefined();
    expect(run.reason).toMatch(/^the check model could not be written: /);
  });

  it("counts a check that does not finish in time as unknown, not as a failure, and stops the child", async () => {
    const run = await checkBackendRuns("cpu", { cacheDir, timeoutMs: 50 });
    expect(run.runs).toBeUndefined();
    expect(run.timedOut).toBe(true);
    expect(run.reason).toMatch(/did not finish in 0.05 s/);
  });
});

describe("stopReason", () => {
  it("finds llama.cpp's stop line in an abort's output, without the backtrace or folders", () => {
    // What node-llama-cpp 3.21.1's CUDA build printed on an H200 (compute 9.0) with driver
    // 580.159 (CUDA 13.0) at its first computation, folders shortened.
    const stderr = [
      "/home/runner/work/node-llama-cpp/node-llama-cpp/llama/llama.cpp/ggml/src/ggml-cuda/ggml-cuda.cu:108: CUDA error",
      "/opt/app/node_modules/@node-llama-cpp/linux-x64-cuda/bins/linux-x64-cuda/libggml-base.so(+0x1c8eb)[0x7f20dc24b8eb]",
      "/opt/app/node_modules/@node-llama-cpp/linux-x64-cuda/bins/linux-x64-cuda/libggml-base.so(ggml_print_backtrace+0x21f)[0x7f20dc24bd6f]",
      "/opt/app/node_modules/@node-llama-cpp/linux-x64-cuda/bins/linux-x64-cuda/libggml-base.so(ggml_abort+0x152)[0x7f20dc24bf42]",
      "/opt/app/node_modules/@node-llama-cpp/linux-x64-cuda/bins/linux-x64-cuda/libggml-cuda.so(_Z27ggml_cuda_op_rms_norm_fusedR25ggml_backend_cuda_contextP11ggml_tensorS2_+0x1ca)[0x7fe060858bea]",
      "/usr/bin/node[0x18a7b40]",
      "/lib/x86_64-linux-gnu/libc.so.6(+0x9cb84)[0x7f3c2f89cb84]",
      "",
    ].join("\n");
    expect(stopReason(stderr)).toBe("ggml-cuda.cu:108: CUDA error");
  });

  it("keeps an error line that names no file, and gives nothing for silence", () => {
    expect(stopReason("ggml_vulkan: Device memory allocation of size 42 failed.\n")).toBe("ggml_vulkan: Device memory allocation of size 42 failed.");
    expect(stopReason("")).toBe("");
  });
});

describe("forgetBackendChecks", () => {
  it("drops the remembered answers (wren doctor's fresh check), and is quiet where there are none", async () => {
    const dir = path.join(cacheDir, "forget");
    await mkdir(dir, { recursive: true });
    await writeFile(path.join(dir, "backend-checks.json"), "{}");
    await forgetBackendChecks(dir);
    expect(await readdir(dir)).toEqual([]);
    await expect(forgetBackendChecks(dir)).resolves.toBeUndefined();
  });
});

describe("runnableGpu", () => {
  it("checks nothing where no GPU driver is found, and otherwise picks a backend that runs", async () => {
    const supported = await getLlamaGpuTypes("supported");
    const choice = await runnableGpu("auto", { cacheDir });
    if (!supported.some((gpu) => gpu !== false)) {
      expect(choice).toEqual({ gpu: "auto", skipped: [] });
      expect(await readdir(cacheDir)).not.toContain("backend-checks.json");
    } else {
      // A machine with a GPU driver: whatever was passed over, the answer is remembered.
      expect(await readdir(cacheDir)).toContain("backend-checks.json");
      expect(await runnableGpu("auto", { cacheDir })).toEqual(choice);
    }
  });

  it("remembers a check that ran out of time, so later starts do not wait for it again", async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), "wren-backend-runs-timeout-"));
    try {
      // A machine whose drivers list vulkan: the check cannot finish in 50 ms (the child does not
      // even load node-llama-cpp in that time), as a first CUDA start compiling kernels may not in 120 s.
      const options = { cacheDir: dir, timeoutMs: 50, supported: ["vulkan", false] as const };
      const first = await runnableGpu("vulkan", options);
      expect(first).toEqual({ gpu: "vulkan", skipped: [] });
      const remembered = JSON.parse(await readFile(path.join(dir, "backend-checks.json"), "utf8")) as Record<string, unknown>;
      expect(Object.values(remembered)).toEqual([first]);
      // Asked again, the answer comes from the file: no check process runs (none could finish in 1 ms).
      const started = performance.now();
      expect(await runnableGpu("vulkan", { ...options, timeoutMs: 1 })).toEqual(first);
      expect(performance.now() - started).toBeLessThan(5_000);
      // An unknown that is not a timeout (no check model: its folder is a file) is not remembered.
      const notAFolder = path.join(dir, "a-file");
      await writeFile(notAFolder, "");
      expect(await runnableGpu("vulkan", { ...options, cacheDir: notAFolder })).toEqual({ gpu: "vulkan", skipped: [] });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdir, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { getLlamaGpuTypes, type LlamaGpuType } from "node-llama-cpp";
import { f32, str, u32, writeGguf, type GgufValue, type TensorSpec } from "./gguf-writer.js";

/**
 * Whether a GPU backend of llama.cpp that loads here also computes. A prebuilt binary can load and
 * still stop the whole process at its first computation: node-llama-cpp 3.21.1's CUDA build carries
 * machine code for compute capability 8.6, 8.9, 12.0 and 12.1 only, and for others (an H200 is 9.0)
 * PTX from CUDA 13.1, which a driver of an older CUDA (580 is 13.0) cannot compile: llama.cpp aborts.
 * So a tiny model is run on the backend in a child process first; a backend whose child dies is
 * not used, and the answer is remembered per machine (driver, binaries) in wren's cache folder.
 */

export type GpuBackendName = "cuda" | "vulkan" | "metal";

/**
 * How one backend fared: `runs` undefined when the check could not tell (it timed out, the check
 * model could not be written, the check process did not start, or the backend did not load).
 */
export interface BackendRun {
  /** The backend node-llama-cpp picked for the choice checked (false: the CPU). */
  backend: GpuBackendName | false;
  runs: boolean | undefined;
  /** Set when `runs` is unknown because the check did not finish in time. */
  timedOut?: true;
  /** Why it does not run (what llama.cpp printed, or how the check process ended); "" when it runs. */
  reason: string;
}

/** A GPU backend left out because it does not run here, and why. */
export interface SkippedBackend {
  backend: GpuBackendName;
  reason: string;
}

/** What to hand `getLlama({ gpu })` so that only a backend that runs here is used. */
export type RunnableGpu = GpuBackendName | false | "auto" | { type: "auto"; exclude: GpuBackendName[] };

export interface RunnableChoice {
  gpu: RunnableGpu;
  /** GPU backends `auto` passed over, or the one asked for, because they do not run here. */
  skipped: SkippedBackend[];
}

export interface CheckOptions {
  /** Where the check model and the remembered answers live (wren's cache folder). */
  cacheDir: string;
  /** How long one check may take before its answer counts as unknown. Default 120 s (a first CUDA start compiles kernels). */
  timeoutMs?: number;
  /** The model the child runs. Default: a tiny model wren writes into `cacheDir` once. */
  modelPath?: string;
  /** The backends whose drivers this machine has. Default: what `getLlamaGpuTypes("supported")` says. */
  supported?: readonly LlamaGpuType[];
}

const CHECK_MODEL_VERSION = 1;
const DEFAULT_TIMEOUT_MS = 120_000;

/**
 * The child's program: loads the backend, says which one node-llama-cpp picked (so a crash after it
 * is the backend's), loads the model with every layer offloaded and evaluates a few tokens.
 */
const CHILD = `
const [url, gpuJson, modelPath] = process.argv.slice(1);
const say = (o) => process.stdout.write(JSON.stringify(o) + "\\n");
(async () => {
  const { getLlama, LlamaLogLevel } = await import(url);
  const llama = await getLlama({ gpu: JSON.parse(gpuJson), build: "never", usePrebuiltBinaries: true, progressLogs: false,
    skipDownload: true, maxThreads: 1, vramPadding: 0, logLevel: LlamaLogLevel.error,
    logger: (level, message) => process.stderr.write(message) });
  say({ backend: llama.gpu });
  const model = await llama.loadModel({ modelPath, gpuLayers: "max" });
  const context = await model.createContext({ contextSize: 64, sequences: 1 });
  const sequence = context.getSequence();
  await sequence.evaluate([1, 40, 41, 42]).next();
  say({ ok: true });
  process.exit(0);
})().catch((error) => { say({ error: String(error && error.message || error) }); process.exit(2); });
`;

/** node-llama-cpp's entry file (its "exports" map answers a require-style lookup too). */
function nodeLlamaCppEntry(): string {
  return createRequire(import.meta.url).resolve("node-llama-cpp");
}

/** The tiny llama model the check runs: 2 blocks, 64 wide, Q8_0, the 256 byte tokens. */
export async function checkModelPath(cacheDir: string): Promise<string> {
  const file = path.join(cacheDir, `backend-check-v${CHECK_MODEL_VERSION}.gguf`);
  if (await stat(file).then(() => true, () => false)) return file;
  await mkdir(cacheDir, { recursive: true });
  const tokens = ["<unk>", "<s>", "</s>"];
  const types = [2, 3, 3];
  for (let b = 0; b < 256; b++) {
    tokens.push(`<0x${b.toString(16).toUpperCase().padStart(2, "0")}>`);
    types.push(6);
  }
  const nEmbd = 64;
  const nFf = 128;
  const nLayer = 2;
  const metadata: [string, GgufValue][] = [
    ["general.architecture", str("llama")],
    ["general.name", str("wren-backend-check")],
    ["general.file_type", u32(7)],
    ["llama.context_length", u32(64)],
    ["llama.embedding_length", u32(nEmbd)],
    ["llama.block_count", u32(nLayer)],
    ["llama.feed_forward_length", u32(nFf)],
    ["llama.attention.head_count", u32(4)],
    ["llama.attention.head_count_kv", u32(2)],
    ["llama.attention.layer_norm_rms_epsilon", f32(1e-5)],
    ["llama.rope.dimension_count", u32(16)],
    ["llama.rope.freq_base", f32(10000)],
    ["tokenizer.ggml.model", str("llama")],
    ["tokenizer.ggml.tokens", { type: "array", itemType: "string", value: tokens }],
    ["tokenizer.ggml.scores", { type: "array", itemType: "f32", value: tokens.map(() => 0) }],
    ["tokenizer.ggml.token_type", { type: "array", itemType: "i32", value: types }],
    ["tokenizer.ggml.unknown_token_id", u32(0)],
    ["tokenizer.ggml.bos_token_id", u32(1)],
    ["tokenizer.ggml.eos_token_id", u32(2)],
  ];
  const wave: TensorSpec["fill"] = (out, firstRow) => {
    for (let i = 0; i < out.length; i++) out[i] = 0.05 * Math.sin(firstRow * 31 + i * 0.7);
  };
  const matrix = (name: string, rowLength: number, rows: number): TensorSpec => ({ name, dims: [rowLength, rows], type: "Q8_0", fill: wave });
  const norm = (name: string): TensorSpec => ({ name, dims: [nEmbd], type: "F32", fill: (out) => out.fill(1) });
  const tensors: TensorSpec[] = [matrix("token_embd.weight", nEmbd, tokens.length), norm("output_norm.weight"), matrix("output.weight", nEmbd, tokens.length)];
  for (let i = 0; i < nLayer; i++) {
    tensors.push(
      norm(`blk.${i}.attn_norm.weight`),
      matrix(`blk.${i}.attn_q.weight`, nEmbd, nEmbd),
      matrix(`blk.${i}.attn_k.weight`, nEmbd, 32),
      matrix(`blk.${i}.attn_v.weight`, nEmbd, 32),
      matrix(`blk.${i}.attn_output.weight`, nEmbd, nEmbd),
      norm(`blk.${i}.ffn_norm.weight`),
      matrix(`blk.${i}.ffn_gate.weight`, nEmbd, nFf),
      matrix(`blk.${i}.ffn_up.weight`, nEmbd, nFf),
      matrix(`blk.${i}.ffn_down.weight`, nFf, nEmbd),
    );
  }
  const partial = `${file}.${process.pid}.partial`;
  await writeGguf(partial, metadata, tensors);
  await rename(partial, file);
  return file;
}

/** The line llama.cpp stopped with: backtrace lines left out, folders dropped from source paths. */
export function stopReason(stderr: string): string {
  const lines = stderr
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line && !/\(\+?0x[0-9a-f]+\)|\[0x[0-9a-f]+\]$/i.test(line) && !/^#\d+\s/.test(line));
  const stop = lines.find((line) => /error|abort|assert|fail/i.test(line)) ?? lines[0] ?? "";
  return stop.replace(/(?:[A-Za-z]:)?[^\s:]*[\\/]([^\\/\s:]+:\d+)/g, "$1").slice(0, 300);
}

/** Runs the check model on `gpu` in a child process. */
export async function checkBackendRuns(gpu: RunnableGpu | "cpu", options: CheckOptions): Promise<BackendRun> {
  const choice = gpu === "cpu" ? false : gpu;
  /** The backend asked for by name, until the child says which one it picked. */
  const named: GpuBackendName | false = typeof choice === "string" && choice !== "auto" ? choice : false;
  let modelPath: string;
  try {
    modelPath = options.modelPath ?? (await checkModelPath(options.cacheDir));
  } catch (error) {
    // No check model (an unwritable cache folder): nothing is known about the backend.
    return { backend: named, runs: undefined, reason: `the check model could not be written: ${(error as Error).message}` };
  }
  const child = spawn(process.execPath, ["-e", CHILD, "--", pathToFileURL(nodeLlamaCppEntry()).href, JSON.stringify(choice), modelPath], {
    stdio: ["ignore", "pipe", "pipe"],
    windowsHide: true,
    env: { ...process.env, NODE_OPTIONS: "" },
  });
  let stdout = "";
  let stderr = "";
  child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
    if (stderr.length < 64 * 1024) stderr += chunk;
  });
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    child.kill("SIGKILL");
  }, options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
  let spawnError: Error | undefined;
  const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) => {
    child.on("close", (c, s) => resolve([c, s]));
    child.on("error", (error) => {
      spawnError = error;
      resolve([null, null]);
    });
  });
  clearTimeout(timer);
  // No check process: nothing is known about the backend.
  if (spawnError) return { backend: named, runs: undefined, reason: `the check process did not start: ${spawnError.message}` };
  const said = stdout
    .split("\n")
    .filter(Boolean)
    .map((line) => {
      try {
        return JSON.parse(line) as { backend?: GpuBackendName | false; ok?: boolean; error?: string };
      } catch {
        return {};
      }
    });
  const picked = said.find((m) => m.backend !== undefined)?.backend;
  const backend: GpuBackendName | false = picked ?? named;
  if (said.some((m) => m.ok)) return { backend, runs: true, reason: "" };
  if (timedOut) return { backend, runs: undefined, timedOut: true, reason: `the check did not finish in ${(options.timeoutMs ?? DEFAULT_TIMEOUT_MS) / 1000} s` };
  const error = said.find((m) => m.error)?.error;
  if (picked === undefined && error) {
    // The backend did not load at all: not this check's concern (loading it says why).
    return { backend, runs: undefined, reason: error };
  }
  const how = signal ? `stopped by ${signal}` : `exited with code ${code}`;
  const what = error ?? stopReason(stderr);
  return { backend, runs: false, reason: what ? `${what} (the check process ${how})` : `the check process ${how}` };
}

/**
 * Whether node-llama-cpp's "supported" list (`getLlamaGpuTypes("supported")`: the backends whose
 * drivers this machine has) holds a GPU backend; with none, llama.cpp runs on the CPU here.
 */
export function hasGpuBackend(supported: readonly LlamaGpuType[]): boolean {
  return supported.some((gpu) => gpu !== false);
}

/** What the remembered answers are keyed by: the binaries, the drivers and what was asked. */
async function machineKey(requested: string, supported: readonly LlamaGpuType[]): Promise<string> {
  const packageFile = path.join(path.dirname(nodeLlamaCppEntry()), "..", "package.json");
  const { version } = JSON.parse(await readFile(packageFile, "utf8").catch(() => "{}")) as { version?: string };
  const driver = await readFile("/proc/driver/nvidia/version", "utf8").catch(() => "");
  return createHash("sha256")
    .update(JSON.stringify([CHECK_MODEL_VERSION, version, process.platform, process.arch, requested, supported, driver.split("\n")[0] ?? ""]))
    .digest("hex")
    .slice(0, 24);
}

type Remembered = Record<string, RunnableChoice>;

async function readRemembered(file: string): Promise<Remembered> {
  try {
    const parsed = JSON.parse(await readFile(file, "utf8")) as unknown;
    return parsed && typeof parsed === "object" && !Array.isArray(parsed) ? (parsed as Remembered) : {};
  } catch {
    return {};
  }
}

/** The file the answers are remembered in. */
function rememberedFile(cacheDir: string): string {
  return path.join(cacheDir, "backend-checks.json");
}

/**
 * Forgets the remembered answers, so the next start checks again: `wren doctor` does this (after a
 * driver update, say, on a system whose driver version wren cannot read).
 */
export async function forgetBackendChecks(cacheDir: string): Promise<void> {
  await rm(rememberedFile(cacheDir), { force: true });
}

/**
 * The `gpu` to load llama.cpp with for `requested`, leaving out GPU backends that load but do not
 * run here. `auto` passes over each such backend to the next (another GPU backend or the CPU); an
 * explicitly requested backend that does not run is returned with itself in `skipped`, for the
 * caller's error. Machines with no GPU driver skip the check; answers (and checks that ran out of
 * time, whose backend is used as without the check) are remembered in
 * `cacheDir/backend-checks.json` until the driver (where wren can read its version), the binaries
 * or the request change, or `wren doctor` checks again.
 */
export async function runnableGpu(requested: "auto" | GpuBackendName, options: CheckOptions): Promise<RunnableChoice> {
  const supported = options.supported ?? (await getLlamaGpuTypes("supported").catch(() => [] as LlamaGpuType[]));
  if (!hasGpuBackend(supported)) return { gpu: requested, skipped: [] };
  const file = rememberedFile(options.cacheDir);
  const key = await machineKey(requested, supported);
  const remembered = await readRemembered(file);
  const known = remembered[key];
  if (known) return known;
  const skipped: SkippedBackend[] = [];
  let gpu: RunnableGpu = requested;
  for (;;) {
    const run = await checkBackendRuns(gpu, options);
    if (run.runs !== false || run.backend === false) {
      // Unknown because the check ran out of time (a first CUDA start compiling its kernels, say):
      // remembered like an answer, so that every later start does not wait as long again; the
      // backend is used as it would be without the check. Other unknowns (no check model, no
      // check process, a backend that does not load) are not remembered: they may pass.
      if (run.runs === undefined && !run.timedOut) return { gpu, skipped };
      break;
    }
    skipped.push({ backend: run.backend, reason: run.reason });
    if (requested !== "auto") break;
    gpu = { type: "auto", exclude: skipped.map((s) => s.backend) };
  }
  const choice: RunnableChoice = { gpu, skipped };
  try {
    await mkdir(options.cacheDir, { recursive: true });
    const partial = `${file}.${process.pid}.partial`;
    await writeFile(partial, JSON.stringify({ ...(await readRemembered(file)), [key]: choice }, null, 2));
    await rename(partial, file);
  } catch {
    // An unwritable cache costs a check at the next start, nothing more.
  }
  return choice;
}

import { formatBytes, readManifest } from "../../models/index.js";
import { hardwareReport, type BackendProbe } from "../../models/hardware.js";
import { loadModelsContext } from "../../runtime/models.js";
import { toWrenError } from "../../shared/errors.js";

/** The daemon's state as doctor shows it. */
export interface DaemonState {
  running: boolean;
  detail: string;
}

/** How doctor learns the daemon's state; injectable for tests. */
export type DaemonStateProbe = () => Promise<DaemonState>;

/** Asks the daemon's pid/state files (and its /status) through runtime/, as `wren daemon status` does. */
const probeRuntimeDaemon: DaemonStateProbe = async () => {
  const { daemonStatus } = await import("../../runtime/daemon.js");
  const status = await daemonStatus();
  if (!status.running) return { running: false, detail: "not running (start it with `wren daemon start`)" };
  // Its models list holds the router's names too (auto, default, routes): what counts is what it has loaded.
  const loaded = status.models?.filter((m) => m.loaded).length ?? 0;
  const models = status.models ? `, ${loaded} model${loaded === 1 ? "" : "s"} loaded` : "";
  return { running: true, detail: `running at ${status.url ?? "?"} (pid ${status.pid ?? "?"}, up ${status.uptimeSeconds ?? "?"}s${models})` };
};

/**
 * The GPUs line and the Backends lines: a GPU is listed with each backend that reaches it, and one
 * seen only through a backend that stops at its first computation is said to be unusable that way.
 */
export function backendLines(backends: readonly BackendProbe[]): string[] {
  const gpus = backends.flatMap((b) =>
    b.devices.map((d) => `${d} (${b.backend}${b.runs === false ? ": does not run here" : b.vram ? `, ${formatBytes(b.vram.free)} of ${formatBytes(b.vram.total)} free` : ""})`),
  );
  const usable = backends.some((b) => b.devices.length > 0 && b.runs !== false);
  const lines = [`GPUs:     ${gpus.length ? `${gpus.join("; ")}${usable ? "" : " (none usable)"}` : "none usable"}`, "Backends:"];
  for (const b of backends) {
    const state = !b.loads ? `does not load: ${b.reason}` : b.runs === false ? `loads, but stops at its first computation (wren does not use it): ${b.reason}` : "loads";
    lines.push(`  ${b.backend.padEnd(7)} ${state}`);
  }
  return lines;
}

export async function runDoctor(flags: { json?: boolean; modelsDir?: string }, probeDaemon: DaemonStateProbe = probeRuntimeDaemon): Promise<void> {
  const context = await loadModelsContext({ modelsDir: flags.modelsDir });
  // A store doctor cannot read is one of its findings, not the end of the report.
  const store = readManifest(context.modelsDir).then(
    (manifest) => ({ manifest, problem: undefined }),
    (error: unknown) => ({ manifest: undefined, problem: toWrenError(error) }),
  );
  const [hardware, { manifest, problem }, daemon] = await Promise.all([hardwareReport(), store, probeDaemon()]);
  if (problem) process.exitCode = 1;
  const count = manifest?.models.length ?? 0;
  const storeBytes = manifest?.models.reduce((sum, m) => sum + m.size, 0) ?? 0;
  if (flags.json) {
    const models = problem
      ? { dir: context.modelsDir, problem: { code: problem.code, message: problem.message, ...(problem.hint ? { hint: problem.hint } : {}) } }
      : { dir: context.modelsDir, count, bytes: storeBytes };
    process.stdout.write(`${JSON.stringify({ ...hardware, models, daemon }, null, 2)}\n`);
    return;
  }
  const lines = [
    `OS:       ${hardware.os}, ${hardware.arch}, Node ${hardware.node}`,
    `CPU:      ${hardware.cpu.model}, ${hardware.cpu.cores} cores (wren uses at most ${hardware.cpu.availableParallelism} threads)`,
    `RAM:      ${formatBytes(hardware.ram.total)} total, ${formatBytes(hardware.ram.free)} free`,
  ];
  lines.push(...backendLines(hardware.backends));
  lines.push(
    problem
      ? `Models:   ${context.modelsDir}: ${problem.message}${problem.hint ? ` ${problem.hint}` : ""}`
      : `Models:   ${context.modelsDir} (${count} model${count === 1 ? "" : "s"}, ${formatBytes(storeBytes)})`,
  );
  lines.push(`Daemon:   ${daemon.detail}`);
  process.stdout.write(`${lines.join("\n")}\n`);
}

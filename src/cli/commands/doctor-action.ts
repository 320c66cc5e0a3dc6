import { formatBytes, readManifest } from "../../models/index.js";
import { hardwareReport } from "../../models/hardware.js";
import { loadModelsContext } from "../../runtime/models.js";

/** The daemon's state as doctor shows it. */
export interface DaemonState {
  running: boolean;
  detail: string;
}

/**
 * Seam for the server work: until wren has a daemon, doctor reports it as not running. Replace the
 * default with a probe of the daemon's pid file / socket when it lands.
 */
export type DaemonStateProbe = () => Promise<DaemonState>;

const noDaemonYet: DaemonStateProbe = async () => ({ running: false, detail: "not running" });

export async function runDoctor(flags: { json?: boolean; modelsDir?: string }, probeDaemon: DaemonStateProbe = noDaemonYet): Promise<void> {
  const context = await loadModelsContext({ modelsDir: flags.modelsDir });
  const [hardware, manifest, daemon] = await Promise.all([hardwareReport(), readManifest(context.modelsDir), probeDaemon()]);
  const storeBytes = manifest.models.reduce((sum, m) => sum + m.size, 0);
  if (flags.json) {
    const models = { dir: context.modelsDir, count: manifest.models.length, bytes: storeBytes };
    process.stdout.write(`${JSON.stringify({ ...hardware, models, daemon }, null, 2)}\n`);
    return;
  }
  const lines = [
    `OS:       ${hardware.os}, ${hardware.arch}, Node ${hardware.node}`,
    `CPU:      ${hardware.cpu.model}, ${hardware.cpu.cores} cores (wren uses at most ${hardware.cpu.availableParallelism} threads)`,
    `RAM:      ${formatBytes(hardware.ram.total)} total, ${formatBytes(hardware.ram.free)} free`,
  ];
  const gpus = hardware.backends.flatMap((b) => b.devices.map((d) => `${d} (${b.backend}${b.vram ? `, ${formatBytes(b.vram.free)} of ${formatBytes(b.vram.total)} free` : ""})`));
  lines.push(`GPUs:     ${gpus.length ? gpus.join("; ") : "none usable"}`);
  lines.push("Backends:");
  for (const b of hardware.backends) lines.push(`  ${b.backend.padEnd(7)} ${b.loads ? "loads" : `does not load: ${b.reason}`}`);
  lines.push(`Models:   ${context.modelsDir} (${manifest.models.length} model${manifest.models.length === 1 ? "" : "s"}, ${formatBytes(storeBytes)})`);
  lines.push(`Daemon:   ${daemon.detail}`);
  process.stdout.write(`${lines.join("\n")}\n`);
}

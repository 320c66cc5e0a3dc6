import os from "node:os";
import path from "node:path";
import { WrenError } from "../../shared/errors.js";
import { memoryBudget } from "../../models/fit.js";
import { formatBytes, parseBytes, parseModelRef, readManifest, type ManifestEntry } from "../../models/index.js";
import { removePartials } from "../../models/partials.js";
import { recommendModel } from "../../models/recommend.js";
import { absoluteEntryPath, findStored, planPrune, pullInProgress, removeStored } from "../../models/store.js";
import { realPathSync } from "../../permissions/real-paths.js";
import { loadModelsContext } from "../../runtime/models.js";

export async function runRemove(refText: string, flags: { modelsDir?: string }): Promise<void> {
  const context = await loadModelsContext({ modelsDir: flags.modelsDir });
  const ref = context.aliases[refText] ?? refText;
  const manifest = await readManifest(context.modelsDir);
  // A reference naming several stored models (`hf:org/repo`, two quantisations) removes none.
  const entry =
    manifest.models.find((m) => m.ref === ref) ??
    (await findStored(context.modelsDir, parseModelRef(ref), {
      text: ref,
      outcome: "wren removed none of them.",
      hint: (refs) => `Name one: ${refs.map((r) => `\`wren models rm ${r}\``).join(", ")}.`,
    }));
  if (!entry) {
    const pulling = pullInProgress(context.modelsDir, ref);
    if (pulling) throw pulling;
    // What a cancelled first pull left: no model, but its bytes.
    const partials = await removePartials(context.modelsDir, ref);
    if (partials.length > 0) {
      const files = partials.flatMap((p) => p.files).join(", ");
      const bytes = partials.reduce((sum, p) => sum + p.size, 0);
      process.stdout.write(`Removed the partial download of ${ref} (an interrupted pull): ${files} (${formatBytes(bytes)}).\n`);
      return;
    }
    throw new WrenError("model_not_found", `${ref} is not in the store (${context.modelsDir}).`, {
      hint: "Run `wren models list` for the names; models of Ollama and LM Studio are removed with those tools.",
    });
  }
  const held = heldAs(context.modelsDir, entry, ref);
  await removeStored(context.modelsDir, entry);
  process.stdout.write(`Removed ${entry.ref} (${formatBytes(entry.size)}).\n${await heldByDaemon([held], "it")}`);
}

/** What a stored model is known by: its names, and where its files really are (found while they are there). */
interface HeldAs {
  ref: string;
  names: string[];
  files: string[];
}

function heldAs(modelsDir: string, entry: ManifestEntry, asked?: string): HeldAs {
  const names = [entry.ref, ...(entry.name ? [entry.name] : []), ...(asked ? [asked] : [])];
  return { ref: entry.ref, names, files: [entry.file, ...entry.parts].map((f) => realPathSync(absoluteEntryPath(modelsDir, f))) };
}

/**
 * A note when the running daemon has a removed model loaded: its file is gone from the folder, but
 * the daemon keeps it open (and serving), so its disk space comes back only once the daemon lets it go.
 * The daemon's status names the files each model reads, whatever name it serves the model under (a
 * file path, `hf:org/repo` without the quantisation, an alias); a daemon of an older wren names
 * none, and its models are matched by name.
 */
async function heldByDaemon(removed: readonly HeldAs[], it?: string): Promise<string> {
  if (removed.length === 0) return "";
  const { daemonStatus } = await import("../../runtime/daemon.js");
  const status = await daemonStatus().catch(() => undefined);
  if (!status?.running) return "";
  const loaded = (status.models ?? []).filter((m) => m.loaded).map((m) => ({ id: m.id, files: m.files?.map((f) => realPathSync(path.resolve(f))) }));
  const held = removed.filter((r) => loaded.some((m) => (m.files ? m.files.some((f) => r.files.includes(f)) : r.names.includes(m.id))));
  if (held.length === 0) return "";
  const what = it ?? held.map((r) => r.ref).join(", ");
  return `The wren daemon (pid ${status.pid ?? "?"}) still has ${what} loaded and serves ${held.length === 1 ? "it" : "them"}: ${held.length === 1 ? "its" : "their"} disk space comes back when the daemon stops (\`wren daemon stop\`).\n`;
}

export async function runPrune(flags: { maxSize: string; dryRun?: boolean; modelsDir?: string }): Promise<void> {
  const context = await loadModelsContext({ modelsDir: flags.modelsDir });
  const max = parseBytes(flags.maxSize);
  const manifest = await readManifest(context.modelsDir);
  const plan = planPrune(manifest.models, max);
  if (plan.remove.length === 0) {
    process.stdout.write(`The store holds ${formatBytes(plan.totalBefore)}, within ${formatBytes(max)}: nothing to remove.\n`);
    return;
  }
  let kept = 0;
  const removed: HeldAs[] = [];
  for (const entry of plan.remove) {
    if (!flags.dryRun) {
      try {
        const held = heldAs(context.modelsDir, entry);
        await removeStored(context.modelsDir, entry);
        removed.push(held);
      } catch (error) {
        // A model a pull is downloading now is kept: the pull is about to use it.
        if (!(error instanceof WrenError) || error.code !== "not_ready") throw error;
        process.stdout.write(`Kept ${entry.ref} (${formatBytes(entry.size)}): another wren process is downloading it now.\n`);
        kept += entry.size;
        continue;
      }
    }
    process.stdout.write(`${flags.dryRun ? "Would remove" : "Removed"} ${entry.ref} (${formatBytes(entry.size)}, last used ${entry.lastUsed ?? "never"}).\n`);
  }
  process.stdout.write(`The store ${flags.dryRun ? "would hold" : "holds"} ${formatBytes(plan.totalAfter + kept)} (was ${formatBytes(plan.totalBefore)}).\n${await heldByDaemon(removed)}`);
}

export async function runRecommend(flags: { purpose: string; memoryLimit?: string }): Promise<void> {
  if (flags.purpose !== "chat" && flags.purpose !== "code" && flags.purpose !== "embedding") {
    throw new WrenError("bad_request", `--purpose must be chat, code or embedding, not "${flags.purpose}".`, { hint: "E.g. --purpose code." });
  }
  const limitBytes = flags.memoryLimit === undefined ? undefined : parseBytes(flags.memoryLimit);
  // Only this machine's memory needs the probe, which starts llama.cpp.
  const { freeVramBytes } = await import("../../models/hardware.js");
  const vram = limitBytes === undefined ? await freeVramBytes() : undefined;
  const budget = memoryBudget(limitBytes === undefined ? { freeVramBytes: vram } : { limitBytes });
  // The same pick as wren's default model: memory, cores, GPU and the speed to expect here. With
  // --memory-limit the question is what fits in that much memory, whatever this machine's speed.
  const speed = limitBytes === undefined ? { cores: os.availableParallelism(), gpu: (vram ?? 0) > 0 } : undefined;
  const { entry, candidates, reason } = recommendModel(budget, flags.purpose, undefined, speed);
  if (!entry) {
    const smallest = candidates.at(-1);
    throw new WrenError("model_too_large", `No ${flags.purpose} model in the catalog fits in ${budget.description}.`, {
      hint: smallest ? `The smallest, ${smallest.entry.name}, needs about ${formatBytes(smallest.need)}: free some memory.` : "Free some memory.",
    });
  }
  process.stdout.write(
    `picked ${entry.name}: ${reason ?? `fits in ${budget.description}`}.\n  ${entry.description}\n  ${entry.repo}/${entry.file}, about ${formatBytes(entry.sizeBytes)}, licence ${entry.licence}.\n  Get it with: wren pull ${entry.name}\n`,
  );
}

import { WrenError } from "../../shared/errors.js";
import type { Env } from "../../shared/paths.js";
import { createProgressRenderer, formatBytes, parseModelRef, pullModel, resolveModelRef } from "../../models/index.js";
import { nameStored } from "../../models/store.js";
import { loadModelsContext } from "../../runtime/models.js";
import { cancelOnSignals, signalExitCode } from "../cancel-signals.js";
import { reportError } from "../report-error.js";

export interface PullFlags {
  /** A short name for the model, stored with it (`--name`). */
  name?: string;
  offline?: boolean;
  update?: boolean;
  modelsDir?: string;
}

/**
 * Ctrl-C (or SIGTERM, SIGHUP) stops the download cleanly: the `.partial` file stays for the next
 * run to resume, the lock goes. Stopped so, it says how to resume, sets the exit status for the
 * signal (130, 143, 129) and returns nothing.
 */
async function pullInterruptibly(ref: string, modelsDir: string, env: Env, update: boolean, token: string | undefined) {
  const controller = new AbortController();
  using signals = cancelOnSignals(controller);
  try {
    return await pullModel(ref, {
      modelsDir,
      env,
      token,
      update,
      signal: controller.signal,
      onProgress: createProgressRenderer(process.stderr),
      onStatus: (message) => process.stderr.write(`${message}\n`),
    });
  } catch (error) {
    if (!controller.signal.aborted) throw error;
    if (process.stderr.isTTY) process.stderr.write("\n");
    const interrupted = new WrenError("aborted", `The download of ${ref} was interrupted.`, {
      cause: error,
      hint: "Run the same command again: it resumes from where it stopped.",
    });
    reportError(interrupted);
    process.exitCode = signalExitCode(signals.received ?? "SIGINT");
    return undefined;
  }
}

export async function runPull(refText: string, flags: PullFlags): Promise<void> {
  const context = await loadModelsContext({ modelsDir: flags.modelsDir });
  const ref = context.aliases[refText] ?? refText;
  // Refused before --offline looks for it: a path is no more pulled offline than online.
  const parsed = parseModelRef(ref);
  if (parsed.kind === "path") {
    throw new WrenError("bad_request", `${parsed.path} is a local file: there is nothing to pull.`, {
      hint: "Use the path directly, e.g. `wren run --model <path>`.",
    });
  }
  if (flags.offline) {
    const found = await resolveModelRef(ref, { modelsDir: context.modelsDir, env: context.env, offline: true });
    process.stdout.write(`${found.ref} is present: ${found.path}\n`);
    return;
  }
  const result = await pullInterruptibly(ref, context.modelsDir, context.env, flags.update ?? false, context.token);
  if (!result) return;
  const { entry } = result;
  if (flags.name) await nameStored(context.modelsDir, entry, flags.name);
  const named = flags.name ? `Named "${flags.name.toLowerCase()}": use it as --model ${flags.name.toLowerCase()}.\n` : "";
  const revision = entry.revision ? ` at revision ${entry.revision.slice(0, 12)}` : "";
  if (!result.downloaded) {
    process.stdout.write(
      `${entry.ref} is already present${revision}: ${result.path}\n` + named + (flags.update ? "" : "Use `wren pull --update` to fetch a newer revision.\n"),
    );
    return;
  }
  const sha = entry.sha256 ? `, sha256 ${entry.sha256}` : "";
  // The name it is stored and listed under: `hf:org/repo` is pulled as `hf:org/repo:Q4_K_M`.
  process.stdout.write(`Pulled ${entry.ref}${revision} (${formatBytes(entry.size)}${sha}): ${result.path}\n${named}`);
}

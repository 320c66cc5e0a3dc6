import { WrenError } from "../../shared/errors.js";
import { createProgressRenderer, formatBytes, formatModelRef, parseModelRef, pullModel, resolveModelRef } from "../../models/index.js";
import { loadModelsContext } from "../../runtime/models.js";

export interface PullFlags {
  offline?: boolean;
  update?: boolean;
  modelsDir?: string;
}

export async function runPull(refText: string, flags: PullFlags): Promise<void> {
  const context = await loadModelsContext({ modelsDir: flags.modelsDir });
  const ref = context.aliases[refText] ?? refText;
  if (flags.offline) {
    const found = await resolveModelRef(ref, { modelsDir: context.modelsDir, env: context.env, offline: true });
    process.stdout.write(`${found.ref} is present: ${found.path}\n`);
    return;
  }
  const parsed = parseModelRef(ref);
  if (parsed.kind === "path") {
    throw new WrenError("bad_request", `${parsed.path} is a local file: there is nothing to pull.`, {
      hint: "Use the path directly, e.g. `wren run --model <path>`.",
    });
  }
  const result = await pullModel(ref, {
    modelsDir: context.modelsDir,
    env: context.env,
    update: flags.update ?? false,
    onProgress: createProgressRenderer(process.stderr),
    onStatus: (message) => process.stderr.write(`${message}\n`),
  });
  const { entry } = result;
  const revision = entry.revision ? ` at revision ${entry.revision.slice(0, 12)}` : "";
  if (!result.downloaded) {
    process.stdout.write(
      `${entry.ref} is already present${revision}: ${result.path}\n` + (flags.update ? "" : "Use `wren pull --update` to fetch a newer revision.\n"),
    );
    return;
  }
  const sha = entry.sha256 ? `, sha256 ${entry.sha256}` : "";
  process.stdout.write(`Pulled ${formatModelRef(parsed)}${revision} (${formatBytes(entry.size)}${sha}): ${result.path}\n`);
}

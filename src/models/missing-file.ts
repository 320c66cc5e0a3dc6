import { readdir } from "node:fs/promises";
import path from "node:path";
import { editDistance } from "../config/suggest.js";
import { WrenError } from "../shared/errors.js";

/**
 * The error for a model path with no file: with the GGUF file in the same folder it was likely
 * meant as (a typo: `chatm.gguf` for `chatml.gguf`), or the GGUF files that folder has, so the
 * next try is the right one.
 */
export async function missingModelFile(file: string): Promise<WrenError> {
  const dir = path.dirname(file);
  const names = await readdir(dir, { withFileTypes: true }).then(
    (entries) => entries.filter((e) => !e.isDirectory() && e.name.toLowerCase().endsWith(".gguf")).map((e) => e.name).sort(),
    () => undefined,
  );
  const wanted = path.basename(file).toLowerCase();
  const close = names
    ?.map((name) => ({ name, distance: editDistance(wanted, name.toLowerCase()) }))
    .filter((c) => c.distance <= Math.max(2, Math.floor(wanted.length / 5)))
    .sort((a, b) => a.distance - b.distance)[0];
  const shown = (name: string): string => path.join(dir, name);
  const hint =
    names === undefined
      ? `There is no folder ${dir}. Check the path, or use a reference such as hf:org/repo:Q4_K_M.`
      : close !== undefined
        ? `Did you mean ${shown(close.name)}?`
        : names.length > 0
          ? `${dir} has ${names.slice(0, 3).join(", ")}${names.length > 3 ? ` and ${names.length - 3} more` : ""}. Check the path, or use a reference such as hf:org/repo:Q4_K_M.`
          : "Check the path, or use a reference such as hf:org/repo:Q4_K_M.";
  return new WrenError("model_not_found", `There is no model file at ${file}.`, { hint });
}

import { formatBytes } from "./bytes.js";
import { WrenError } from "../shared/errors.js";

/** How far a download had come when the disk refused it, for the message. */
export interface StorageProgress {
  label: string;
  received: number;
  total: number | null;
}

const MODELS_DIR_HINT = "use another models folder: --models-dir DIR, WREN_MODELS_DIR or models.dir in config";

/**
 * A failure of the disk under the models folder (full, not writable, a file where a folder should
 * be) as a WrenError that says so and what to do; undefined for anything else. Such a failure is
 * not a network one: retrying the download cannot help.
 */
export function storageError(error: unknown, folder: string, progress?: StorageProgress): WrenError | undefined {
  if (error instanceof WrenError || !(error instanceof Error)) return undefined;
  const code = (error as NodeJS.ErrnoException).code;
  if (code === "ENOSPC" || code === "EDQUOT") {
    const what = progress ? ` for ${progress.label} (${formatBytes(progress.received)}${progress.total === null ? "" : ` of ${formatBytes(progress.total)}`} written)` : "";
    const need = progress?.total != null ? `at least ${formatBytes(progress.total - progress.received)}` : "some space";
    return new WrenError("internal", `There is no space left on the disk of ${folder}${what}${code === "EDQUOT" ? ": the disk quota is used up" : ""}.`, {
      cause: error,
      hint: `Free ${need} (\`wren models prune --max-size SIZE\` removes the least recently used models), or ${MODELS_DIR_HINT}; the same command then resumes from what is on disk.`,
    });
  }
  if (code === "EFBIG") {
    const what = progress ? `${progress.label} (${formatBytes(progress.received)}${progress.total === null ? "" : ` of ${formatBytes(progress.total)}`} written)` : `a file in ${folder}`;
    return new WrenError("internal", `Cannot write more of ${what}: the file has reached the largest size this process may write (its file-size limit, ulimit -f) or the file system of ${folder} can hold.`, {
      cause: error,
      hint: `Raise the limit (\`ulimit -f unlimited\`), or, on a file system with small files (FAT32 stops at 4 GiB), ${MODELS_DIR_HINT}; the same command then resumes from what is on disk.`,
    });
  }
  const why =
    code === "EACCES" || code === "EPERM"
      ? "permission denied"
      : code === "EROFS"
        ? "the file system is read-only"
        : code === "ENOTDIR"
          ? "a file stands where a folder of its path should be"
          : undefined;
  if (!why) return undefined;
  const at = (error as NodeJS.ErrnoException).path;
  return new WrenError("internal", `Cannot write to the models folder ${folder}: ${why}${at ? ` (${at})` : ""}.`, {
    cause: error,
    hint: `${code === "EACCES" || code === "EPERM" ? "Let your user write to it, or " : "Choose another: "}${MODELS_DIR_HINT}.`,
  });
}

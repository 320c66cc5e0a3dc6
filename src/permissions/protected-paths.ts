import path from "node:path";
import { isInside } from "./path-pattern.js";

const WREN_REASON = "it is wren's own folder, where the project's permission rules live, so changes there always ask";
/**
 * Why a git command that rewrites the whole work tree asks every time. wren does not look at the
 * repository to see whether `.wren/` is tracked: a branch, stash or commit may hold it even when the
 * checked-out one does not, and the model can build one with git itself under a `Bash(git *)` rule.
 */
export const TREE_REASON =
  "what that holds may have been built with git itself, and may rewrite wren's own settings (.wren/settings.toml, where the project's permission rules live), so it always asks";
const GIT_REASON = "git runs what is written there (hooks, aliases, fsmonitor, pagers) at later git commands, so changes there always ask";

/**
 * Why a write to `target` asks every time, whatever the rules (only bypass mode lets it through),
 * or undefined. wren's own folder in the project (`.wren/`, where the project's permission rules
 * live): a model that could write there could allow itself anything. The repository's hooks and
 * config (`.git/hooks/`, `.git/config`): a model that wrote there would have the next allowed
 * `git status` or `git commit` run what it wrote.
 */
export function protectedReason(target: string, projectRoot: string): string | undefined {
  if (isInside(target, path.join(projectRoot, ".wren"))) return WREN_REASON;
  const git = path.join(projectRoot, ".git");
  if (isInside(target, path.join(git, "hooks")) || path.resolve(target) === path.join(git, "config")) return GIT_REASON;
  return undefined;
}

/**
 * Why writing files wren cannot name into `folder` (`tar -x -C DIR`, `git -C DIR`) asks every time:
 * the folder is protected, or holds a protected place (`.git`, a folder above the project). The
 * project itself is not counted: what an archive or a diff writes there is not known before it runs.
 */
export function protectedFolderReason(folder: string, projectRoot: string): string | undefined {
  const own = protectedReason(folder, projectRoot);
  if (own || path.resolve(folder) === path.resolve(projectRoot)) return own;
  if (isInside(path.join(projectRoot, ".wren"), folder)) return WREN_REASON;
  if (isInside(path.join(projectRoot, ".git", "hooks"), folder)) return GIT_REASON;
  return undefined;
}

/**
 * Why unpacking an archive or applying a diff into `folder` (`tar -xf A`, `unzip A`, `patch -p1`,
 * `git apply D`), changing what `find` finds there (`-delete`, `-exec rm {} +`), or moving a folder
 * there (`mv "$D" .`), asks every time: as {@link protectedFolderReason}, and also at the project root,
 * where what it holds could be `.wren/settings.toml` or `.git/hooks/…`. A folder below the root
 * (`tar -xf A -C vendor`) keeps it there: tar, unzip, patch and git refuse names with `..`.
 */
export function unpackedReason(folder: string, projectRoot: string): string | undefined {
  if (path.resolve(folder) !== path.resolve(projectRoot)) return protectedFolderReason(folder, projectRoot);
  return "that is the project root, and which files is only known when it runs (what an archive, a diff, the git index or a folder moved or copied there holds, what find finds): they may be in wren's own folder (.wren/, where the project's permission rules live) or the repository's hooks (.git/hooks), so it always asks";
}

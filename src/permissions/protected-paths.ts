import { readFileSync } from "node:fs";
import path from "node:path";
import { isInside } from "./path-pattern.js";
import { gitFolderAt, gitSearch } from "./repository-top.js";

/** wren's own folder in a project, where its permission rules live (`.wren/settings.toml`). */
export const WREN_FOLDER = ".wren";

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
 * What git reads, in a git folder, as code it runs or settings that name code: hooks, config (and a
 * linked work tree's `config.worktree`), and the git folders of submodules (`modules/NAME/`, whose
 * config a plain `git status` in the project reads: a core.fsmonitor there runs) and linked work
 * trees (`worktrees/NAME/`, whose `commondir` says where their hooks and config are).
 */
const GIT_RUNS = new Set(["hooks", "config", "config.worktree", "modules", "worktrees"]);

/**
 * Why a write to `target` asks every time, whatever the rules (only bypass mode lets it through),
 * or undefined. wren's own folder in the project (`.wren/`, where the project's permission rules
 * live): a model that could write there could allow itself anything. What git runs, in any git
 * folder in the project (see {@link GIT_RUNS}: `.git/hooks/`, `.git/config`, `.git/modules/…`,
 * a nested repository's `.git/hooks/`), and a `.git` itself (a file there names the git folder a
 * work tree or submodule uses): a model that wrote there would have the next allowed `git status`
 * or `git commit` run what it wrote.
 */
export function protectedReason(target: string, projectRoot: string, platform: NodeJS.Platform = process.platform): string | undefined {
  const paths = platform === "win32" ? path.win32 : path.posix;
  const rel = paths.relative(paths.resolve(projectRoot), paths.resolve(target));
  if (rel === ".." || rel.startsWith(`..${paths.sep}`) || paths.isAbsolute(rel)) return undefined;
  const names = rel === "" ? [] : rel.split(paths.sep).map((name) => asMatched(name, platform));
  if (names[0] === WREN_FOLDER) return WREN_REASON;
  const at = names.indexOf(".git");
  if (at >= 0 && (at === names.length - 1 || GIT_RUNS.has(names[at + 1] ?? ""))) return GIT_REASON;
  for (const named of placesAround(target, projectRoot)) {
    if (named.hooks.some((folder) => isInside(target, folder)) || named.includes.some((file) => path.resolve(target) === file)) return GIT_REASON;
  }
  return undefined;
}

/**
 * A name as the file system matches it: macOS and Windows ignore case by default (`.GIT/hooks` is
 * `.git/hooks` there), and Windows drops the dots and blanks a name ends in (`.git.`, `.wren `).
 */
function asMatched(name: string, platform: NodeJS.Platform): string {
  const trimmed = platform === "win32" ? name.replace(/[. ]+$/, "") : name;
  return platform === "win32" || platform === "darwin" ? trimmed.toLowerCase() : trimmed;
}

/**
 * What the configs of the repositories `target` may matter to name: the project's repository, and
 * each nested one (a submodule, a repository cloned or made inside the project) whose work tree holds
 * `target`, as git there runs the hooks its `core.hooksPath` names in its tree (a submodule's `.husky`).
 */
function placesAround(target: string, projectRoot: string): ConfiguredPlaces[] {
  const out = [configuredPlaces(projectRoot)];
  const root = path.resolve(projectRoot);
  for (let at = path.resolve(target); at !== root && isInside(at, root); at = path.dirname(at)) {
    const folder = gitFolderAt(at);
    if (folder !== undefined) out.push(placesNamedBy(folder, at));
  }
  return out;
}

/**
 * The hooks folder and included config files the repository's config names inside the project
 * (`.husky`, `team.gitconfig`), relative to it: a work-tree rewrite may bring what git then runs there.
 */
export function configuredInProject(projectRoot: string): string[] {
  const named = configuredPlaces(projectRoot);
  return [...named.hooks, ...named.includes].filter((p) => isInside(p, projectRoot)).map((p) => path.relative(path.resolve(projectRoot), p) || ".");
}

/** The hooks folders and included config files a repository's config names, as absolute paths. */
interface ConfiguredPlaces {
  hooks: string[];
  includes: string[];
}

/** {@link placesNamedBy} the repository git finds at the project root. */
function configuredPlaces(projectRoot: string): ConfiguredPlaces {
  const { folder, top } = gitSearch(projectRoot);
  return folder === undefined ? { hooks: [], includes: [] } : placesNamedBy(folder, top ?? projectRoot);
}

/**
 * The places a repository's config makes hooks or config: the hooks folder `core.hooksPath` names
 * (`.husky`, relative to the work tree's top), and the files `include.path` and
 * `includeIf.COND.path` name (relative to the file that includes them), followed a few deep. Read
 * from the config in `folder`, its git folder, as written there.
 */
function placesNamedBy(folder: string, top: string): ConfiguredPlaces {
  const out: ConfiguredPlaces = { hooks: [], includes: [] };
  // A linked work tree's git folder has its own config.worktree, and the repository's config where its commondir says.
  const pending = [path.join(folder, "config"), path.join(folder, "config.worktree")];
  const common = commonDir(folder);
  if (common !== undefined) pending.push(path.join(common, "config"));
  for (let read = 0; read < 10 && pending.length > 0; read++) {
    const file = pending.shift() ?? "";
    let text: string;
    try {
      text = readFileSync(file, "utf8");
    } catch {
      continue;
    }
    for (const { section, key, value } of configEntries(text)) {
      // An empty value (hooks turned off) names no place; `~/` is in home, outside the project.
      const place = value === "" || value.startsWith("~/") ? undefined : value;
      if (place === undefined) continue;
      if (section === "core" && key === "hookspath") out.hooks.push(path.resolve(top, place));
      if ((section === "include" || section.startsWith("includeif ")) && key === "path") {
        const included = path.resolve(path.dirname(file), place);
        out.includes.push(included);
        pending.push(included);
      }
    }
  }
  return out;
}

/** The folder a linked work tree's `commondir` file names (the repository's own git folder), or undefined. */
function commonDir(folder: string): string | undefined {
  try {
    const line = readFileSync(path.join(folder, "commondir"), "utf8").trim();
    return line === "" ? undefined : path.resolve(folder, line);
  } catch {
    return undefined;
  }
}

/** The `key = value` lines of a git config file, each with its section (`core`, `includeif "gitdir:x"`), names in lower case, quotes taken off the value. */
function configEntries(text: string): { section: string; key: string; value: string }[] {
  const out: { section: string; key: string; value: string }[] = [];
  let section = "";
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    const header = /^\[\s*([A-Za-z0-9.-]+)(?:\s+"[^"]*")?\s*\]/.exec(line);
    if (header) {
      section = line.slice(1, line.indexOf("]")).trim().toLowerCase().replace(/\s+/, " ");
      continue;
    }
    const entry = /^([A-Za-z][A-Za-z0-9-]*)\s*=\s*(.*)$/.exec(line);
    if (!entry) continue;
    const value = (entry[2] ?? "").replace(/\s+[#;].*$/, "").trim().replace(/^"(.*)"$/, "$1");
    out.push({ section: section.startsWith("includeif") ? `includeif ${section.slice("includeif".length).trim()}` : section.split(" ")[0] ?? "", key: (entry[1] ?? "").toLowerCase(), value });
  }
  return out;
}

/**
 * Why running git with `gitFolder` as its repository asks every time, or undefined: git runs what
 * that folder's config and hooks name, and inside the project only a git folder whose config and
 * hooks are protected ({@link protectedReason}: a `.git`, a submodule's or work tree's git folder)
 * cannot have been written by the model without asking. Another folder (one it filled with `HEAD`,
 * `objects/`, `refs/` and a `config`, or made with `git init --bare`) may hold anything.
 */
export function repositoryReason(gitFolder: string, projectRoot: string, top = gitFolder): string | undefined {
  if (isInside(gitFolder, projectRoot) && !protectedReason(path.join(gitFolder, "config"), projectRoot)) {
    return "git runs what that folder's config and hooks name (aliases, fsmonitor, pagers, hooks), and they are not protected as .git's are: they may have been written by the model, so it always asks";
  }
  // A nested repository's config may name a hooks folder or a config file elsewhere in the project, where a write does not ask.
  const named = placesNamedBy(gitFolder, top);
  const open = [...named.hooks, ...named.includes].find((place) => isInside(place, projectRoot) && !protectedReason(place, projectRoot));
  if (open === undefined) return undefined;
  return `its config makes ${path.relative(path.resolve(projectRoot), open) || "."} ${named.hooks.includes(open) ? "its hooks folder" : "part of its config"}, and git runs what is written there, which is not protected as .git's hooks and config are: it may have been written by the model, so it always asks`;
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

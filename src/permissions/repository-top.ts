import { existsSync, readFileSync, statSync } from "node:fs";
import path from "node:path";

/**
 * The folders that may be the top of the git repository git works in when it runs in `dir`: the
 * nearest one at or above it that holds `.git` (a folder, or a file in a linked work tree or a
 * submodule), as git finds it. With none, the command line may make one before git runs
 * (`git init && git show :F`), so every folder from `dir` up may be.
 */
export function repositoryTops(dir: string): string[] {
  const all: string[] = [];
  for (let at = path.resolve(dir); ; at = path.dirname(at)) {
    if (existsSync(path.join(at, ".git"))) return [at];
    all.push(at);
    if (path.dirname(at) === at) return all;
  }
}

/**
 * The git folder git uses when it runs in `dir`, as git finds it: `.git` in the nearest folder at or
 * above that holds one (where `.git` is a file, the folder its `gitdir:` line names), or the nearest
 * folder that is a git folder itself (a bare repository: `HEAD`, `objects/` and `refs/`); undefined
 * where there is none. With it, the folder it was found from (`top`: the one holding `.git`, or the
 * bare repository itself), and the folders git looked in before it found it (`dir` first), any of
 * which a command line that fills it first could make a bare repository.
 */
export function gitSearch(dir: string): { folder: string | undefined; top?: string; passed: string[] } {
  const passed: string[] = [];
  for (let at = path.resolve(dir); ; at = path.dirname(at)) {
    const folder = gitFolderAt(at);
    if (folder !== undefined) return { folder, top: at, passed };
    if (["HEAD", "objects", "refs"].every((name) => existsSync(path.join(at, name)))) return { folder: at, top: at, passed };
    passed.push(at);
    if (path.dirname(at) === at) return { folder: undefined, passed };
  }
}

/** The git folder of a work tree whose top is `dir` (its `.git`, or where a `.git` file points), or undefined where `dir` holds no `.git`. */
export function gitFolderAt(dir: string): string | undefined {
  const dotGit = path.join(dir, ".git");
  return existsSync(dotGit) ? pointedTo(dotGit) : undefined;
}

/** A `.git` folder, or the folder a `.git` file's `gitdir:` line names. */
function pointedTo(dotGit: string): string {
  try {
    if (statSync(dotGit).isDirectory()) return dotGit;
    const line = /^gitdir: (.+)$/m.exec(readFileSync(dotGit, "utf8"))?.[1]?.trim();
    return line ? path.resolve(path.dirname(dotGit), line) : dotGit;
  } catch {
    return dotGit;
  }
}

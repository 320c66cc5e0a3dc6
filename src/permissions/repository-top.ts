import { existsSync } from "node:fs";
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

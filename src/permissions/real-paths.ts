import { realpath } from "node:fs/promises";
import path from "node:path";
import type { PermissionRequest } from "./types.js";

/**
 * The request with, beside each path, where it really is when a symbolic link leads elsewhere: a
 * link inside the project to `~/.ssh` is then judged as `~/.ssh` too (every path must be allowed,
 * and deny rules see both). A file that does not exist yet is placed by its nearest existing
 * folder. `decide` stays pure; the caller resolves paths with this first.
 */
export async function withRealPaths(request: PermissionRequest): Promise<PermissionRequest> {
  if (!request.paths || request.paths.length === 0) return request;
  const all = new Set<string>();
  for (const p of request.paths) {
    all.add(p);
    all.add(await realPath(path.resolve(p)));
  }
  return all.size === request.paths.length ? request : { ...request, paths: [...all] };
}

async function realPath(abs: string): Promise<string> {
  const rest: string[] = [];
  for (let dir = abs; ; ) {
    try {
      return path.join(await realpath(dir), ...rest);
    } catch {
      const parent = path.dirname(dir);
      if (parent === dir) return abs;
      rest.unshift(path.basename(dir));
      dir = parent;
    }
  }
}

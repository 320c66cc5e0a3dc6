import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type { ToolContext } from "../../src/tools/tool.js";

/** A real temporary folder, removed on dispose (`await using dir = await tempDir()`). */
export async function tempDir(prefix = "wren-tools-"): Promise<{ path: string } & AsyncDisposable> {
  // realpath: on macOS the temp folder is behind a symlink, and tools report real paths.
  const dir = await fs.realpath(await fs.mkdtemp(path.join(os.tmpdir(), prefix)));
  return {
    path: dir,
    async [Symbol.asyncDispose]() {
      await fs.rm(dir, { recursive: true, force: true });
    },
  };
}

/** A tool context over a folder: the project root and working directory, unless told otherwise. */
export function toolContext(root: string, extra: Partial<ToolContext> = {}): ToolContext {
  return { projectRoot: root, cwd: () => root, signal: new AbortController().signal, ...extra };
}

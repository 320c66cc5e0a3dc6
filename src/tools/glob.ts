import fs from "node:fs/promises";
import { z } from "zod";
import { deniedNote, withoutDenied } from "./denied-files.js";
import { defineTool } from "./define-tool.js";
import { byRecency, listFiles, splitGlobBase } from "./list-files.js";
import { errorResult, okResult } from "./result.js";
import { displayPath, resolveToolPath } from "./resolve-path.js";

/** Paths listed at most; the rest are counted. */
export const GLOB_MAX_RESULTS = 100;

const parameters = z.object({
  pattern: z.string().min(1).describe("A glob such as `**/*.ts` or `src/**/*.{js,jsx}`."),
  path: z.string().min(1).optional().describe("The folder to search in (default: the working directory)."),
});

export const globTool = defineTool({
  name: "Glob",
  description:
    "Finds files by name with a glob pattern (`**/*.ts`, `src/**/test_*.py`). Respects .gitignore. Returns absolute paths, " +
    `the most recently modified first, at most ${GLOB_MAX_RESULTS}. Use Grep to search inside files.`,
  parameters,
  readOnly: true,
  permission: (input, ctx) => ({ tool: "Glob", effect: "read", paths: [searchBase(input, ctx)] }),
  async execute(input, ctx) {
    const { base, pattern } = splitGlobBase(input.pattern, searchRoot(input, ctx));
    const stat = await fs.stat(base).catch(() => undefined);
    if (!stat?.isDirectory()) return errorResult(`${base} is not a folder.`, "Give an existing folder as path.");
    // Only names are listed, so a symlink's target need not be judged: its contents are not shown.
    const { files: found, denied } = await withoutDenied("Glob", await listFiles(base, [pattern], { dot: true, signal: ctx.signal }), ctx, { followLinks: false });
    found.sort(byRecency);
    const shownBase = displayPath(ctx, base);
    const deniedText = deniedNote("Glob", denied);
    const leftOut = denied > 0 ? ` (${denied} denied file${denied === 1 ? "" : "s"} left out)` : "";
    if (found.length === 0) {
      const text = [`No files match ${input.pattern} in ${base}.`, ...(deniedText ? [deniedText] : [])].join("\n");
      return okResult(text, { display: `No files match ${input.pattern} in ${shownBase}${leftOut}`, data: { kind: "files", paths: [], total: 0, denied } });
    }
    const listed = found.slice(0, GLOB_MAX_RESULTS).map((f) => f.path);
    const rest = found.length - listed.length;
    const notes = rest > 0 ? [`[${rest} more not shown (limit ${GLOB_MAX_RESULTS}). Narrow the pattern or the path.]`] : [];
    if (deniedText) notes.push(deniedText);
    return okResult([...listed, ...notes].join("\n"), {
      display: `Found ${found.length} file${found.length === 1 ? "" : "s"} matching ${input.pattern} in ${shownBase}${leftOut}`,
      data: { kind: "files", paths: listed, total: found.length, denied },
    });
  },
});

function searchRoot(input: { path?: string | undefined }, ctx: Parameters<typeof resolveToolPath>[0]): string {
  return input.path === undefined ? ctx.cwd() : resolveToolPath(ctx, input.path);
}

function searchBase(input: { pattern: string; path?: string | undefined }, ctx: Parameters<typeof resolveToolPath>[0]): string {
  return splitGlobBase(input.pattern, searchRoot(input, ctx)).base;
}

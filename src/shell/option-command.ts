import type { Word } from "./ir.js";
import { wordDownloads } from "./downloads.js";
import { downloadRce, unresolved, type Ctx } from "./evaluate-context.js";

/** Runs the command line a tool's option or setting names, or reports one only known at run time. */
export function runCommand(ctx: Ctx, value: Word, runner: string): void {
  if (wordDownloads(value, false)) downloadRce(ctx, runner);
  else if (value.dynamic) unresolved(ctx, `${runner} runs a command only known at run time`);
  else if (value.text.trim() !== "") ctx.ops.nested(ctx, value.text, "sh");
}

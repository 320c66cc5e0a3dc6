import type { Word } from "./ir.js";
import { wordDownloads } from "./downloads.js";
import { downloadRce, unresolved, type Ctx } from "./evaluate-context.js";

/**
 * Runs the command line `runner` hands a shell (a tool's option or setting, or what watch, ssh,
 * tmux, hyperfine or nodemon run): downloaded code when expanding it downloads (`watch "$(curl …)"`),
 * otherwise judged as the line, or reported as one only known at run time. The one helper for it.
 */
export function runCommand(ctx: Ctx, value: Word, runner: string): void {
  if (wordDownloads(value, ctx.shell === "powershell")) downloadRce(ctx, runner);
  else if (value.dynamic) unresolved(ctx, `${runner} runs a command line only known at run time`);
  else if (value.text.trim() !== "") ctx.ops.nested(ctx, value.text, "sh");
}

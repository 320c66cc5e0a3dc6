import type { Word } from "./ir.js";
import { wordDownloads } from "./downloads.js";
import { downloadRce, forkContext, unresolved, type Ctx } from "./evaluate-context.js";
import { riskRank } from "./types.js";

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

/**
 * A command line a runner types into another terminal and leaves there without the key that runs
 * it (tmux's `send-keys` without Enter, screen's `-X stuff` text after its last line end): it
 * waits at that shell's prompt for the next Enter, which a later command harmless on its own
 * (`tmux send-keys -t s Enter`) or the person there gives. Judged as {@link runCommand} would, apart
 * from the line: where that is not safe, `moderate`, saying what waits there, in the category of
 * the worst of what it would do.
 */
export function typedCommand(ctx: Ctx, value: Word, runner: string): void {
  const judged: Ctx = { ...forkContext(ctx), findings: [] };
  runCommand(judged, value, runner);
  let worst = judged.findings[0];
  for (const f of judged.findings) if (riskRank(f.risk) > riskRank(worst?.risk ?? "safe")) worst = f;
  if (!worst || riskRank(worst.risk) < riskRank("moderate")) return;
  const shown = value.dynamic ? "a command line only known at run time" : `\`${value.text}\``;
  ctx.findings.push({ category: worst.category, risk: "moderate", detail: `${runner} types ${shown} into another terminal, where the next Enter runs it` });
}

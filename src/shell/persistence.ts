import type { Cmd, Word } from "./ir.js";
import { checkStdin } from "./evaluate-input.js";
import type { Ctx } from "./evaluate-context.js";

const PROFILE_WRITERS = ["add-content", "set-content", "out-file", "copy-item", "move-item", "new-item", "tee-object"];

/**
 * Commands that make code run later, out of the user's sight: a crontab (its lines analysed as
 * the commands they schedule) and PowerShell's `$PROFILE`, which runs in every new session.
 * systemd and launchd units are rules in the table (`rules.ts`).
 */
export function persistence(name: string, args: readonly Word[], cmd: Cmd, upstream: Cmd[], ctx: Ctx): boolean {
  if (name === "crontab") {
    const flags = args.filter((w) => !w.dynamic && w.text.startsWith("-") && w.text !== "-");
    if (flags.some((w) => /^-[A-Za-z]*[lerVT]/.test(w.text) || w.text.startsWith("--"))) return false;
    const operands = args.filter((w, i) => !flags.includes(w) && !(i > 0 && args[i - 1]?.text === "-u"));
    ctx.findings.push({ category: "system configuration", risk: "high", detail: "installs a crontab, which runs commands on a schedule" });
    const file = operands[0];
    if (!file || file.text === "-") checkStdin("crontab", cmd, upstream, ctx, (text) => cronLines(text, ctx));
    return false;
  }
  if (ctx.shell === "powershell" && PROFILE_WRITERS.includes(name)) {
    const target = args.find((w) => w.dynamic && w.vars?.includes("profile"));
    if (target) ctx.findings.push({ category: "system configuration", risk: "high", detail: "writes to the PowerShell profile ($PROFILE), which runs in every new session" });
  }
  return false;
}

/** The command of each crontab line (after five time fields, or `@reboot`-style), as a shell command. */
function cronLines(text: string, ctx: Ctx): void {
  for (const raw of text.split("\n")) {
    const line = raw.trim();
    if (line === "" || line.startsWith("#") || /^[A-Za-z_][A-Za-z0-9_]*\s*=/.test(line)) continue;
    const m = /^(?:@\w+|(?:\S+\s+){4}\S+)\s+(.*)$/.exec(line);
    if (m?.[1]) ctx.ops.nested(ctx, m[1], "sh");
  }
}

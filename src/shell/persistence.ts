import type { Cmd, Script, Word } from "./ir.js";
import { checkStdin } from "./evaluate-input.js";
import type { Ctx } from "./evaluate-context.js";

const PROFILE_WRITERS = ["add-content", "set-content", "out-file", "copy-item", "move-item", "new-item", "tee-object"];
const REGISTRY_WRITERS = ["set-itemproperty", "new-itemproperty", "set-item", "new-item", "copy-itemproperty", "move-itemproperty"];

/** The Windows Startup folder, of the user or of all users: what lies there runs at the next login. */
const STARTUP_FOLDER = /[\\/]start menu[\\/]programs[\\/]startup(?:[\\/]|$)|^shell:(?:common )?startup(?:[\\/]|$)/i;
/** `[Environment]::GetFolderPath('Startup')` or `…([Environment+SpecialFolder]::CommonStartup)`. */
const STARTUP_SPECIAL_FOLDER = /^(?:'|"|::)?(?:common)?startup(?:'|")?$/i;
/** Registry keys whose values are programs run at login: `…\CurrentVersion\Run`, `RunOnce`, `Policies\Explorer\Run`. */
const RUN_KEY = /\\software\\(?:wow6432node\\)?microsoft\\windows\\currentversion\\(?:run|runonce|runonceex|runservices|runservicesonce|policies\\explorer\\run)\\?$/i;

/** True when a path written to lies in the Windows Startup folder (`shell:startup`, `$env:APPDATA\…\Startup\x.bat`). */
export function inStartupFolder(target: Word): boolean {
  return STARTUP_FOLDER.test(target.text.replaceAll("/", "\\")) || target.subs.some(namesStartupFolder);
}

function namesStartupFolder(script: Script): boolean {
  for (const unit of script.units) {
    const words = unit.kind === "pipeline" ? unit.stages.flatMap((c) => c.argv) : unit.kind === "expand" ? unit.words : [];
    const call = words.findIndex((w) => /^::getfolderpath$/i.test(w.text));
    const group = call >= 0 ? words[call + 1] : undefined;
    if (group?.subs.some((s) => wordsOf(s).some((w) => STARTUP_SPECIAL_FOLDER.test(w.text)))) return true;
    if (words.some((w) => w.subs.some(namesStartupFolder))) return true;
  }
  return false;
}

function wordsOf(script: Script): Word[] {
  return script.units.flatMap((u) => (u.kind === "pipeline" ? u.stages.flatMap((c) => c.argv) : u.kind === "expand" ? u.words : []));
}

export const STARTUP_FINDING = { category: "system configuration", risk: "high", detail: "puts a file in the Windows Startup folder, which runs it at every login" } as const;
const RUN_KEY_FINDING = { category: "system configuration", risk: "high", detail: "adds a program to a registry Run key, which starts it at every login" } as const;

/**
 * Commands that make code run later, out of the user's sight: a crontab (its lines analysed as
 * the commands they schedule), a Windows scheduled task (schtasks.exe, its `/tr` command analysed)
 * and PowerShell's `$PROFILE`, which runs in every new session. systemd and launchd units and the
 * ScheduledTasks cmdlets are rules in the table (`rules.ts`).
 */
export function persistence(name: string, args: readonly Word[], cmd: Cmd, upstream: Cmd[], ctx: Ctx): boolean {
  if (name === "schtasks") {
    scheduledTask(args, ctx);
    return false;
  }
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
    if (writtenPaths(name, args).some(inStartupFolder)) ctx.findings.push(STARTUP_FINDING);
  }
  if (ctx.shell === "powershell" && REGISTRY_WRITERS.includes(name) && args.some((w) => RUN_KEY.test(registryPath(w)))) ctx.findings.push(RUN_KEY_FINDING);
  if (name === "reg") {
    const verb = args.find((w) => !w.dynamic && !w.text.startsWith("/") && !w.text.startsWith("-"))?.text.toLowerCase();
    if ((verb === "add" || verb === "copy") && args.some((w) => RUN_KEY.test(registryPath(w)))) ctx.findings.push(RUN_KEY_FINDING);
  }
  return false;
}

/**
 * schtasks.exe, whose verb and options are read in any case with `/` or `-`: `/create` and
 * `/change` make a task that runs later (high, as a crontab is), with its `/tr` command judged as a
 * Windows command line; `/delete`, `/run` and `/end` are moderate; `/query` and `/showsid` are safe.
 */
function scheduledTask(args: readonly Word[], ctx: Ctx): void {
  if (args[0]?.dynamic) {
    ctx.findings.push({ category: "system configuration", risk: "high", detail: "runs schtasks with a verb only known at run time" });
    return;
  }
  const verbs = new Set(args.filter((w) => !w.dynamic && /^[/-][a-z]+$/i.test(w.text)).map((w) => w.text.slice(1).toLowerCase()));
  const verb = ["create", "change", "delete", "run", "end"].find((v) => verbs.has(v));
  if (verb === "create" || verb === "change") {
    ctx.findings.push({ category: "system configuration", risk: "high", detail: `${verb === "create" ? "creates" : "changes"} a scheduled task, which runs a program on its own later` });
    const i = args.findIndex((w) => !w.dynamic && /^[/-]tr$/i.test(w.text));
    const command = i >= 0 ? args[i + 1] : undefined;
    if (command && !command.dynamic) ctx.ops.nested(ctx, command.text, "powershell");
  } else if (verb === "delete" || verb === "run" || verb === "end") {
    const what = { delete: "deletes", run: "runs", end: "stops" }[verb];
    ctx.findings.push({ category: "system configuration", risk: "moderate", detail: `${what} a scheduled task` });
  }
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

/** A registry path without its hive (`HKCU:\\`, `Registry::HKEY_CURRENT_USER\\`, `HKLM\\`), from `\\Software` on. */
function registryPath(w: Word): string {
  return w.text.replaceAll("/", "\\").replace(/^(?:registry::|microsoft\.powershell\.core\\registry::)?[^\\]*/i, "");
}

/** The paths a PowerShell writer writes: the destination of a copy or move, else the path (or its first operand). */
function writtenPaths(name: string, args: readonly Word[]): Word[] {
  const valueOf = (params: readonly string[]): Word | undefined => {
    const i = args.findIndex((w) => w.param && params.some((p) => w.text.length > 2 && p.startsWith(w.text.toLowerCase())));
    return i >= 0 ? args[i + 1] : undefined;
  };
  const positional = args.filter((w, i) => !w.param && !(i > 0 && args[i - 1]?.param));
  if (name === "copy-item" || name === "move-item") {
    const destination = valueOf(["-destination"]);
    return destination ? [destination] : positional.slice(1, 2);
  }
  const path = valueOf(["-path", "-literalpath", "-filepath"]);
  return path ? [path] : positional.slice(0, 1);
}

import type { Cmd, Word } from "./ir.js";
import { RUN_TIME } from "./ir.js";
import { unresolved, type Ctx } from "./evaluate-context.js";
import { awkCommands } from "./awk-code.js";
import { gitConfigCommands } from "./git-config.js";
import { runCommand } from "./option-command.js";
import { sedActions, sedScripts } from "./sed-script.js";
import { persistence } from "./persistence.js";
import { vimCommands } from "./vim-commands.js";

/**
 * Ordinary tools with an option that runs a command: `git -c core.fsmonitor=…`, awk's `system()`,
 * `tar --to-command`, `zip -TT`, `rsync -e`, `man -P`, `ssh -o ProxyCommand=…`, `vim -c '!…'`, GNU parallel.
 * The command they run is analysed like any command line; one wren cannot read is `high`.
 * Returns true when the invocation is fully handled (nothing else applies to it).
 */
export function runToolCommands(name: string, args: Word[], cmd: Cmd, upstream: Cmd[], ctx: Ctx): boolean {
  switch (name) {
    case "git":
      gitConfigCommands(args, ctx);
      return false;
    case "awk": case "gawk": case "mawk": case "nawk":
      awkCommands(name, args, cmd, upstream, ctx);
      return false;
    case "tar": case "gtar": case "bsdtar":
      for (const [option, value] of optionValues(args, TAR_OPTIONS)) {
        if (option === "--checkpoint-action") {
          if (value.dynamic) runCommand(ctx, value, `tar ${option}`);
          else if (value.text.startsWith("exec=")) runCommand(ctx, { ...value, text: value.text.slice(5) }, `tar ${option}`);
        } else runCommand(ctx, value, `tar ${option}`);
      }
      return false;
    case "zip":
      for (const [option, value] of optionValues(args, ZIP_OPTIONS)) runCommand(ctx, value, `zip ${option}`);
      return false;
    case "rsync":
      for (const [option, value] of optionValues(args, RSYNC_OPTIONS)) runCommand(ctx, value, `rsync ${option}`);
      return false;
    case "sed": case "gsed":
      for (const script of sedScripts(args)) {
        const actions = sedActions(script.text);
        for (const line of actions.runs) runCommand(ctx, { ...script, text: line }, `${name} e`);
        if (actions.runsInput) unresolved(ctx, `${name} runs lines of its input as commands (e), so wren cannot tell what would run`);
      }
      return false;
    case "less":
      // `less +'!cmd' F` runs its `+` command as if typed first: `!cmd` runs cmd with a shell.
      for (const w of args) {
        if (w.dynamic || w.text === "--") break;
        const typed = /^\+\+?!(.*)$/s.exec(w.text)?.[1];
        if (typed !== undefined) runCommand(ctx, { ...w, text: typed }, "less +!");
      }
      return false;
    case "man":
      // man-db runs its pager with a shell: `man -P 'rm -rf ~' ls`.
      for (const [option, value] of optionValues(args, MAN_OPTIONS)) runCommand(ctx, value, `man ${option}`);
      return false;
    case "ssh": case "scp": case "sftp":
      sshOptions(name, args, ctx);
      return false;
    case "vim": case "nvim": case "vi": case "ex": case "view": case "vimdiff": case "gvim": case "rvim":
      vimCommands(name, args, ctx);
      return false;
    case "parallel":
      return runParallel(args, ctx);
    default:
      return persistence(name, args, cmd, upstream, ctx);
  }
}

/**
 * How a tool takes the options that matter: long options (`--rsh=CMD`, `--rsh CMD`) and short
 * letters, which may come in a bundle (`-avze CMD`, `-ICMD`). `letters` are every short option
 * that takes a value, so a bundle is split where the real tool splits it.
 */
interface OptionTable {
  long: readonly string[];
  short: Readonly<Record<string, string>>;
  letters: string;
  /** Multi-letter options with one dash (`zip -TT`). */
  single?: readonly string[];
}

const TAR_OPTIONS: OptionTable = {
  long: ["--checkpoint-action", "--to-command", "--use-compress-program", "--info-script", "--new-volume-script"],
  short: { I: "--use-compress-program", F: "--info-script" },
  letters: "fCTXbgHKLNVIF",
};
const ZIP_OPTIONS: OptionTable = { long: ["--unzip-command"], short: {}, letters: "", single: ["-TT"] };
const MAN_OPTIONS: OptionTable = { long: ["--pager"], short: { P: "--pager" }, letters: "CMPSsLmpreER" };
const RSYNC_OPTIONS: OptionTable = { long: ["--rsh", "--rsync-path"], short: { e: "--rsh" }, letters: "eBTfM" };

/** Every value given to one of the table's options, with the option's long name. */
export function optionValues(args: readonly Word[], table: OptionTable): [string, Word][] {
  const out: [string, Word][] = [];
  for (let i = 0; i < args.length; i++) {
    const w = args[i];
    // `--to-command="$X"`: the option is literal, its value only known at run time.
    if (!w || (w.dynamic && !literalLongOption(w.text))) continue;
    const t = w.text;
    if (t === "--") break;
    if (t.startsWith("--")) {
      const eq = t.indexOf("=");
      const option = eq >= 0 ? t.slice(0, eq) : t;
      if (!table.long.includes(option)) continue;
      const value = eq >= 0 ? { ...w, text: t.slice(eq + 1) } : args[++i];
      if (value) out.push([option, value]);
      continue;
    }
    if (w.dynamic) continue;
    if (table.single?.includes(t)) {
      const value = args[++i];
      if (value) out.push([t, value]);
      continue;
    }
    if (!/^-[A-Za-z]/.test(t)) continue;
    for (let k = 1; k < t.length; k++) {
      const letter = t[k] ?? "";
      if (!table.letters.includes(letter)) continue;
      const rest = t.slice(k + 1);
      const value = rest !== "" ? { ...w, text: rest } : args[++i];
      const option = table.short[letter];
      if (option && value) out.push([option, value]);
      break;
    }
  }
  return out;
}

/** ssh options whose value is a command ssh runs on this machine (or, RemoteCommand, on the other). */
const SSH_COMMAND_OPTIONS = ["proxycommand", "localcommand", "knownhostscommand", "remotecommand"];

function sshOptions(name: string, args: readonly Word[], ctx: Ctx): void {
  for (let i = 0; i < args.length; i++) {
    const w = args[i];
    if (!w || !w.text.startsWith("-o")) continue;
    const option = w.text === "-o" ? args[++i] : { ...w, text: w.text.slice(2) };
    if (!option) continue;
    // `Key=value` or `Key value`, the key in any case.
    const m = /^\s*([A-Za-z]+)\s*(?:=\s*|\s+)([\s\S]*)$/.exec(option.text);
    const key = m?.[1]?.toLowerCase();
    if (!m || !key || !SSH_COMMAND_OPTIONS.includes(key)) continue;
    const value = { ...option, text: m[2] ?? "" };
    if (!value.dynamic && value.text.trim().toLowerCase() === "none") continue;
    runCommand(ctx, value, `${name} -o ${m[1] ?? key}`);
  }
}

const PARALLEL_VALUE_OPTIONS = ["-j", "--jobs", "-P", "--max-procs", "-S", "--sshlogin", "-a", "--arg-file", "-d", "--delimiter", "-I", "-n", "--max-args", "-N", "-L", "--max-lines", "-l", "-s", "--max-chars", "-E", "--colsep", "-C", "--tmpdir", "--joblog", "--results", "--env", "--timeout", "--delay", "--memfree", "--load", "--halt", "--retries", "--workdir", "--wd", "--basefile", "--bf", "--tag-string", "--tagstring", "--sshloginfile", "--slf", "--shebang-wrap", "--block", "--recstart", "--recend", "--header", "--progress-bar"];
const INPUT_SEPARATORS = [":::", "::::", ":::+", "::::+"];

/**
 * GNU parallel runs its command line once per input, in a shell, like xargs does: the inputs after
 * `:::` fill `{}` or are appended; without a command, each input is itself a command line.
 */
function runParallel(args: readonly Word[], ctx: Ctx): boolean {
  let i = 0;
  while (i < args.length) {
    const w = args[i];
    if (!w || w.dynamic || !w.text.startsWith("-") || INPUT_SEPARATORS.includes(w.text)) break;
    if (w.text === "--") {
      i++;
      break;
    }
    i += PARALLEL_VALUE_OPTIONS.includes(w.text) ? 2 : 1;
  }
  const rest = args.slice(i);
  const sep = rest.findIndex((w) => !w.dynamic && INPUT_SEPARATORS.includes(w.text));
  const command = sep >= 0 ? rest.slice(0, sep) : rest;
  const fromList = sep >= 0 && rest[sep]?.text.startsWith(":::") === true && !rest[sep]?.text.startsWith("::::");
  const inputs: (Word | undefined)[] = fromList ? rest.slice(sep + 1).filter((w) => w.dynamic || !INPUT_SEPARATORS.includes(w.text)) : [undefined];
  if (command.length === 0) {
    for (const input of inputs) {
      if (input) runCommand(ctx, input, "parallel");
      else unresolved(ctx, "parallel runs command lines only known at run time");
    }
    return true;
  }
  if (command.some((w) => w.dynamic)) {
    unresolved(ctx, "parallel runs a command line only known at run time");
    return true;
  }
  const line = command.map((w) => w.text).join(" ");
  for (const input of inputs) {
    // An input wren cannot see stands for a value only known at run time.
    const value = input && !input.dynamic ? quote(input.text) : '"$PARALLEL_INPUT"';
    const placed = /\{[^}\s]*\}/.test(line) ? line.replace(/\{[^}\s]*\}/g, value) : `${line} ${value}`;
    ctx.ops.nested(ctx, placed, "sh");
  }
  return true;
}

function quote(text: string): string {
  return `'${text.replace(/'/g, "'\\''")}'`;
}

/** `--name=…` with the name itself literal. */
function literalLongOption(text: string): boolean {
  const eq = text.indexOf("=");
  return text.startsWith("--") && eq > 2 && !text.slice(0, eq).includes(RUN_TIME);
}

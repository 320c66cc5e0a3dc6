import type { Word } from "./ir.js";
import { RUN_TIME } from "./ir.js";
import { unresolved, type Ctx } from "./evaluate-context.js";
import { classifyWord } from "./paths.js";
import { runCommand } from "./option-command.js";
import { splitLong, splitShort, walkOptions } from "./option-walk.js";

/**
 * git settings whose value is a command git runs (through a shell): given once with `git -c`, the
 * command runs now; written with `git config`, every later git command in the repository (or, with
 * `--global`, everywhere) runs it, out of the user's sight.
 */
const COMMAND_KEYS = /^(core\.(fsmonitor|sshcommand|pager|editor|askpass|gitproxy)|sequence\.editor|diff\.external|gpg(\.[a-z0-9]+)?\.program|pager\.[^.]+|uploadpack\.packobjectshook|credential(\..+)?\.helper|(diff|merge|filter|mergetool|difftool)\..+\.(textconv|command|driver|clean|smudge|process|cmd)|alias\..+)$/;

/** Settings that name a file git reads more settings from (`include.path`, `includeIf.COND.path`). */
const INCLUDE_KEY = /^include(if\..+)?\.path$/;

/** Settings that run code in later, unrelated git commands: at least high when written to the config. */
const PERSISTENT_CODE_KEYS = /^(core\.(fsmonitor|hookspath)|uploadpack\.packobjectshook|filter\..+\.(clean|smudge|process))$/;

const GIT_GLOBAL_VALUE_OPTIONS = ["-C", "--git-dir", "--work-tree", "--namespace", "--exec-path", "--super-prefix"];
const CONFIG_VALUE_OPTIONS = ["-f", "--file", "--blob", "--type", "--comment", "--value"];

export function gitConfigCommands(args: readonly Word[], ctx: Ctx): void {
  let i = 0;
  for (; i < args.length; i++) {
    const w = args[i];
    if (!w || w.dynamic || !w.text.startsWith("-")) break;
    if (w.text === "-c") {
      const setting = args[++i];
      if (setting) oneOff(setting, ctx);
    } else if (w.text.startsWith("--config-env=")) {
      const key = w.text.slice("--config-env=".length).split("=")[0]?.toLowerCase() ?? "";
      if (COMMAND_KEYS.test(key) || key === "core.hookspath" || INCLUDE_KEY.test(key)) unresolved(ctx, `git --config-env sets ${key} to a command only known at run time`);
    } else if (GIT_GLOBAL_VALUE_OPTIONS.includes(w.text)) i++;
  }
  if (args[i]?.text === "config" && !args[i]?.dynamic) persistent(args.slice(i + 1), ctx);
  for (const { runner, command } of gitSubcommandCommands(args)) runCommand(ctx, command, runner);
}

/** Options of git subcommands whose value is a command line git runs through a shell. */
const COMMAND_OPTIONS: Record<string, RegExp> = {
  rebase: /^(-x|--exec)$/,
  difftool: /^(-x|--extcmd)$/,
  "filter-branch": /^--((tree|index|msg|env|commit|parent|tag-name)-filter|setup)$/,
};

/**
 * The command lines git subcommands run (`git rebase -x CMD`, `git difftool -x CMD`,
 * `git filter-branch --tree-filter CMD`, `git submodule foreach CMD`, `git bisect run CMD`), each
 * with the words that name it, for messages: under `Bash(git *)` they are still commands of their own.
 */
export function gitSubcommandCommands(args: readonly Word[]): { runner: string; command: Word }[] {
  let i = 0;
  for (; i < args.length; i++) {
    const w = args[i];
    if (!w || w.dynamic || !w.text.startsWith("-")) break;
    if (w.text === "-c" || GIT_GLOBAL_VALUE_OPTIONS.includes(w.text)) i++;
  }
  const sub = args[i];
  if (!sub || sub.dynamic) return [];
  const rest = args.slice(i + 1);
  const joined = (words: readonly Word[]): Word => ({ text: words.map((w) => w.text).join(" "), dynamic: words.some((w) => w.dynamic), glob: false, subs: [] });
  if (sub.text === "submodule" || sub.text === "bisect") {
    const action = rest.findIndex((w) => !w.dynamic && w.text === (sub.text === "submodule" ? "foreach" : "run"));
    if (action < 0) return [];
    const command = rest.slice(action + 1).filter((w, k, all) => !all.slice(0, k + 1).every((x) => !x.dynamic && /^(--recursive|--quiet|-q)$/.test(x.text)));
    return command.length > 0 ? [{ runner: `git ${sub.text} ${rest[action]?.text ?? ""}`, command: joined(command) }] : [];
  }
  const option = COMMAND_OPTIONS[sub.text];
  if (!option) return [];
  const out: { runner: string; command: Word }[] = [];
  rest.forEach((w, k) => {
    if (w.dynamic) return;
    const eq = w.text.indexOf("=");
    const name = eq > 0 && w.text.startsWith("--") ? w.text.slice(0, eq) : w.text;
    if (!option.test(name)) return;
    const value = eq > 0 && w.text.startsWith("--") ? { ...w, text: w.text.slice(eq + 1) } : rest[k + 1];
    if (value) out.push({ runner: `git ${sub.text} ${name}`, command: value });
  });
  return out;
}

/** `git -c key=value`: the command the setting names runs during this git command. */
function oneOff(setting: Word, ctx: Ctx): void {
  const eq = setting.text.indexOf("=");
  const key = (eq >= 0 ? setting.text.slice(0, eq) : setting.text).toLowerCase();
  if (key.includes(RUN_TIME)) {
    unresolved(ctx, "git -c sets a setting named only at run time");
    return;
  }
  const value = { ...setting, text: eq >= 0 ? setting.text.slice(eq + 1) : "" };
  if (INCLUDE_KEY.test(key)) {
    ctx.findings.push({ category: "remote code execution", risk: "high", detail: `git -c ${key} reads settings, which may name commands git runs (core.fsmonitor, aliases), from ${value.dynamic ? "a file only known at run time" : value.text}` });
    return;
  }
  if (key === "core.hookspath") {
    if (value.dynamic || !isNoDir(value.text)) ctx.findings.push({ category: "remote code execution", risk: "high", detail: `git -c core.hooksPath runs hooks from ${value.dynamic ? "a folder only known at run time" : value.text}` });
    return;
  }
  const rewrite = URL_REWRITE_KEY.exec(key);
  if (rewrite) {
    // Given once, the redirect holds for this command's fetches (pushes) only.
    ctx.findings.push({ category: "system configuration", risk: "moderate", detail: `redirects this command's ${rewriteWhat(setting.text.slice(0, eq < 0 ? undefined : eq), rewrite, value)}` });
    return;
  }
  settingValue(key, value, `git -c ${key}`, ctx);
}

/** What a setting's value runs. */
function settingValue(key: string, value: Word, runner: string, ctx: Ctx): void {
  if (!COMMAND_KEYS.test(key)) return;
  if (key.startsWith("alias.")) {
    // `!…` is a shell command; anything else is the git command line the alias stands for.
    if (value.dynamic) unresolved(ctx, `${runner} defines an alias only known at run time`);
    else if (value.text.startsWith("!")) runCommand(ctx, { ...value, text: value.text.slice(1) }, runner);
    else if (value.text.trim() !== "") ctx.ops.nested(ctx, `git ${value.text}`, "sh");
    return;
  }
  // A boolean is a setting, not a command (`core.fsmonitor=true` is git's own monitor, `pager.log=false`).
  if (!value.dynamic && /^(true|false|yes|no|on|off|1|0|)$/i.test(value.text.trim())) return;
  if (key.startsWith("credential") && !value.dynamic && !value.text.startsWith("!") && !value.text.includes("/")) return;
  runCommand(ctx, value.text.startsWith("!") ? { ...value, text: value.text.slice(1) } : value, runner);
}

/**
 * `url.BASE.insteadOf PREFIX` (`pushInsteadOf`): git fetches (pushes) every URL starting with PREFIX
 * from BASE instead, out of the user's sight.
 */
const URL_REWRITE_KEY = /^url\.(.+)\.(insteadof|pushinsteadof)$/;

/** Options that read, list or remove settings (`--get-all`, `--unset-all` too): they write no command. */
const CONFIG_READS = /^(--get|--list|-l|--unset|--remove-section|--rename-section|-e|--edit)/;
/** git's own names for the user's and the system's config files (`~/.gitconfig`, `~/.config/git/config`, `/etc/gitconfig`). */
const GIT_CONFIG_FILE = /(^|[\\/])(\.?gitconfig|git[\\/]config)$/;

/** `git config [--global] key value` (and `git config set key value`). */
function persistent(args: readonly Word[], ctx: Ctx): void {
  let scope: "repository" | "global" | "system" = "repository";
  let file: Word | undefined;
  let reads = false;
  // git's parse-options: options anywhere, `-fFILE`, `--file=FILE`, short ones grouped (`-zl`).
  const words = walkOptions(
    args,
    (text, next, word) => {
      if (text.startsWith("--")) {
        const [name, value] = splitLong(text);
        if (name === "--file") file = value !== undefined ? { ...word, text: value } : next;
        else if (name === "--global" || name === "--system") scope = name === "--global" ? "global" : "system";
        reads ||= CONFIG_READS.test(name);
        return value === undefined && CONFIG_VALUE_OPTIONS.includes(name);
      }
      const { flags, option, value } = splitShort(text, "f");
      reads ||= flags.some((f) => CONFIG_READS.test(f));
      if (option) file = value !== undefined ? { ...word, text: value } : next;
      return option !== undefined && value === undefined;
    },
    { runTimeValues: true },
  );
  if (reads) return;
  const where = writtenWhere(scope, file, ctx);
  if (words[0] && !words[0].dynamic && ["set", "add"].includes(words[0].text)) words.shift();
  else if (words[0] && !words[0].dynamic && ["get", "list", "unset", "remove-section", "rename-section", "edit"].includes(words[0].text)) return;
  const [name, value] = words;
  if (!name || !value) return;
  if (name.dynamic) {
    unresolved(ctx, "git config sets a setting named only at run time");
    return;
  }
  const key = name.text.toLowerCase();
  const runs = PERSISTENT_CODE_KEYS.test(key) ? !(key === "core.hookspath" && !value.dynamic && isNoDir(value.text)) && !(key === "core.fsmonitor" && !value.dynamic && /^(true|false)$/i.test(value.text))
    : key.startsWith("alias.") && (value.dynamic || value.text.startsWith("!"));
  if (runs) ctx.findings.push({ category: "system configuration", risk: "high", detail: `sets ${name.text}, so later git commands run ${key === "core.hookspath" ? `hooks from ${value.dynamic ? "a folder only known at run time" : value.text}` : "a command it names"}` });
  const rewrite = URL_REWRITE_KEY.exec(key);
  if (rewrite) {
    // Written where every repository reads it, a fetch of anything under PREFIX gets BASE's code (as
    // a registry set in ~/.npmrc does for packages); in this repository's own config, its fetches only.
    ctx.findings.push({ category: "system configuration", risk: where.everyRepository ? "high" : "moderate", detail: `redirects every ${rewriteWhat(name.text, rewrite, value, "clone and ")}, ${where.text}` });
  }
  settingValue(key, value, `git config ${name.text}`, ctx);
}

/**
 * Which repositories read what `git config` writes: this one's config, the user's (`--global`),
 * every user's (`--system`), or the file `-f FILE` names, which every repository reads when it is
 * the user's or the system's config (git's own name for it in home, or a file among home's keys and
 * start-up files or the system's, as before).
 */
function writtenWhere(scope: "repository" | "global" | "system", file: Word | undefined, ctx: Ctx): { everyRepository: boolean; text: string } {
  if (file) {
    const cls = classifyWord(file, ctx.paths);
    const named = !file.dynamic && GIT_CONFIG_FILE.test(file.text);
    // git's own file in home may be among its start-up files (~/.gitconfig) or not (~/.config/git/config).
    const everyRepository = cls === "home-sensitive" || cls === "system" || (cls === "home-sub" && named);
    const shown = file.dynamic ? "a file only known at run time" : file.text;
    return { everyRepository, text: `written to ${shown}${everyRepository && named ? ", which every repository reads" : ""}` };
  }
  if (scope === "repository") return { everyRepository: false, text: "in this repository" };
  return { everyRepository: true, text: scope === "global" ? "in every repository" : "in every repository of every user" };
}

/** What a `url.BASE.insteadOf` (`pushInsteadOf`) setting named `name` sends where: `fetch of PREFIX to BASE`. */
function rewriteWhat(name: string, rewrite: RegExpExecArray, value: Word, clone = ""): string {
  const base = name.slice("url.".length, name.length - (rewrite[2]?.length ?? 0) - 1);
  const prefix = value.dynamic ? "a URL only known at run time" : value.text;
  return `${rewrite[2] === "pushinsteadof" ? `push meant for ${prefix}` : `${clone}fetch of ${prefix}`} to ${base}`;
}

function isNoDir(text: string): boolean {
  return text === "/dev/null" || text.trim() === "";
}

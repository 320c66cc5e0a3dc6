import type { Cmd, Script, Word } from "./ir.js";
import { asUtf8, substitutionOutput, textsOf, type Produced } from "./decode.js";
import type { Invocation } from "./match-rule.js";
import { classifyWord, type PathContext } from "./paths.js";
import { envArguments } from "./env-split-string.js";
import { longOptionTakesValue } from "./long-options.js";
import { WRAPPERS, XARGS_WRAPPER, type Wrapper } from "./rules.js";
import type { Finding, ShellKind } from "./types.js";
import { forkMap, forkSet } from "./shared-map.js";
import type { MaybeValues, Variables } from "./variables.js";

/** A link the line makes, to the name it reaches (a path, as `resolved` in downloads.ts makes it). */
export interface Link {
  to: string;
  /** A symbolic link, which reaches the name (removed or replaced, a new file there); a hard link is the file itself. */
  symbolic: boolean;
  /** A symbolic link that holds a relative path, found from the link's folder wherever the link is moved. */
  relative: boolean;
  /** A link only a command that may not have run made or left (`false && rm b`): what is written through it may or may not reach the others. */
  maybe?: boolean;
}

/** The state the evaluator carries along a command line (the helpers below are findings every part shares). */
export interface Ctx {
  /** Every name the line's words hold: a function the line defines whose name is not among them is never called (see `evalScript`). */
  named?: ReadonlySet<string>;
  /** The names the line may give a value anywhere (undefined: any), worked out when first asked: see `line-assignments.ts`. */
  assigned?: () => ReadonlySet<string> | undefined;
  shell: ShellKind;
  paths: PathContext;
  parse: ScriptParser;
  depth: number;
  findings: Finding[];
  /** Files that earlier commands of the same line download into (`curl -o x.sh`, `wget -O x`, `curl … > x`). */
  downloaded: Set<string>;
  /** Files that earlier commands of the same line write by a redirection, with the text written where wren knows it (`echo … > x.sh`). */
  written: Map<string, string | undefined>;
  /**
   * Links the line makes (`ln -s a.sh x.sh`, `ln a.sh x.sh`), each to the name it reaches: what is
   * written later on the line to any name of a chain is in all of them (see `written-links.ts`).
   */
  links: Map<string, Link>;
  /** Variables assigned earlier on the line, with literal values. */
  vars: Variables;
  /** Variables with more than one possible value (`x=${y:-/}`, any after `eval "$s"`): see {@link MaybeValues}. */
  maybe: MaybeValues;
  /**
   * Variables that hold what a download returned (`s=$(curl …)`, `$s = iwr …`), with the commands
   * that fetch it: a later `eval "$s"` or `iex $s` runs downloaded code.
   */
  fetched: Map<string, Script>;
  /** Files the line writes a credential to, with the script whose output they hold (see `credential-files.ts`). */
  credentialFiles: Map<string, Script>;
  /**
   * Variables the line exports (`export x=/`, fish `set -x`), or all after `set -a`: only these
   * reach a child shell (`sh -c 'rm -rf $x'`).
   */
  exported: { names: Set<string>; all: boolean };
  /** Aliases defined earlier on the line (`alias x='rm -rf'`, fish `alias x 'rm -rf'`, `Set-Alias x Remove-Item`): name → body. */
  aliases: Map<string, string>;
  /**
   * bash, zsh and sh: the aliases there were when the line being run was read, the ones its
   * commands are expanded with; those it defines apply from its next line (see `Line` in `ir.ts`).
   * Undefined in fish and PowerShell, where a definition applies at once.
   */
  lineAliases?: ReadonlyMap<string, string>;
  /**
   * How a child shell's script reads the aliases it defines, where that differs from a terminal's:
   * `off` in bash without a terminal (`bash -c`, a script), which expands none until `shopt -s
   * expand_aliases`; `once` in `zsh -c`, which reads its whole script before running any of it.
   */
  aliasReading?: "off" | "once";
  /**
   * Functions the line defines (`echo() { …; }`, `function printf { …; }`): a later command of that
   * name runs the function, not the builtin. Read from the whole line before it is judged, as a loop
   * may run a definition before a use written ahead of it, and added to by code the line runs (`eval`).
   */
  functions: Set<string>;
  /**
   * Of those, the ones whose definition the line has run by now (`printf() { :; }; printf -v x /`):
   * a call of that name runs the function; before it (`printf -v x /; printf() { :; }`), the builtin.
   */
  defined: Set<string>;
  /**
   * bash, zsh, sh and fish: the bodies of those, by name, for a call given input (`f <<< text`, `… | f`,
   * `f < file`), whose commands read it (see `evaluate.ts`).
   */
  bodies: Map<string, Script>;
  /**
   * One for the whole analysis, shared by every copy of the state: the functions whose body is being
   * judged with a call's input now, and how many body units such readings have judged (see `feedCall`).
   */
  calls: { feeding: Set<string>; units: number };
  /** The `pushd` stack. */
  dirs: PathContext[];
  /** The states before each command being judged that may not run (see `maybe-run.ts`), innermost last. */
  branches?: Ctx[];
  /**
   * How many of the line's units its rest's second readings, from the state a command that may not
   * run left it in, have judged (see `evaluate.ts`, {@link REREADING_BUDGET}).
   */
  reread?: number;
  /** What a subshell restores at its end. */
  scopes: { paths: PathContext; vars: Variables; maybe: MaybeValues; dirs: PathContext[]; locals?: Set<string> }[];
  /**
   * `$HOME` here is not the user's home: a child shell whose environment lost HOME (`env -i sh -c …`)
   * or got a new one (`HOME=/ sh -c …`). Its value is then in `vars` where wren knows it. `"tilde"`:
   * the line gave that HOME a value wren knows, which the child's `~` is too (`HOME=/ sh -c 'rm -rf ~'`
   * deletes /); where HOME is unset there (bash's `~` is then the user database's home) or only known
   * at run time, `~` stays the user's home.
   */
  homeFromVars?: HomeFromVars;
  /**
   * Where the command being run may leave the shell besides where this state goes on (a reading of
   * `cd ${x:-/}` inside `eval`, an `eval "$s"` that may cd anywhere): the rest of the line is judged
   * in each too (see `evalScript`). Only the state `owner` itself adds to it, not a copy made for a
   * subshell, a pipeline stage or a child shell.
   */
  elsewhere?: { owner: Ctx; states: Ctx[] };
  /**
   * The rest of the line is being judged in another reading of an earlier `${NAME:-word}`, or after a
   * pipeline's last stage run in the line's own shell (`shopt -s lastpipe`): see `evalScript`. It does
   * not split again.
   */
  reading?: boolean;
  /**
   * The script is a cmd.exe line read as PowerShell (`cmd-line.ts`): a program named without a path
   * is looked for in the current folder first, so it may be a file the line wrote there.
   */
  cmdLine?: boolean;
  /** The evaluator's own steps, for the readers of code in other files (`evaluate-input.ts`). */
  ops: EvalOps;
}

/**
 * Parses a script in a given shell; the evaluator calls it for `eval`, `sh -c` and piped text.
 * `homeFromVars` leaves `$HOME` (and with `"tilde"` `~`) a variable (see {@link Ctx.homeFromVars}) instead of the user's home.
 * `container` is given for text run in a container (`docker run … sh -c '…'`): see {@link ContainerPlace}.
 * `cwdChanged`: the text runs after a `cd` on the line (`PathContext.moved`), so its `$PWD` and `~+`
 * are left to the evaluator (see `ExpandContext.cwdChanged`).
 */
export type ScriptParser = (text: string, shell: ShellKind, homeFromVars?: HomeFromVars, container?: ContainerPlace, cwdChanged?: boolean) => Script;

/** How a child shell reads `$HOME` and `~`: see {@link Ctx.homeFromVars}. */
export type HomeFromVars = boolean | "tilde";

/** Where a line run in a new container runs, for its parser. */
export interface ContainerPlace {
  /**
   * The HOME the container was started with: there `~` as well as `$HOME` is that variable, for
   * the evaluator to fill in, and `~` is `home` where the script unsets HOME.
   */
  home: string;
  /** Its working directory, `$PWD`'s and `~+`'s value; undefined where it is only known at run time (the image's). */
  cwd?: string;
  /** HOME is unset there (`env -i sh -c …`): `~` is `home`, the user database's, while `$HOME` is empty. */
  homeUnset?: boolean;
}

export interface EvalOps {
  /** Evaluates a parsed script in the given state (`line`: the script is the line itself; see `evalScript` in `evaluate.ts`). */
  evalScript(script: Script, ctx: Ctx, line?: boolean): void;
  /** Evaluates text as a script of the given shell, one level deeper. */
  nested(ctx: Ctx, text: string, shell: ShellKind, cmdLine?: boolean): void;
  /** Evaluates a command given as words. */
  runArgv(argv: Word[], cmd: Cmd, upstream: Cmd[], ctx: Ctx): void;
  /** Checks a resolved invocation against the rule table. */
  applyRules(inv: Invocation, ctx: Ctx): void;
  /** Checks a write to a path as a redirection would. */
  checkRedirect(op: string, target: Word, ctx: Ctx): void;
}

/**
 * A copy of the line's state to judge another reading of a command in: its findings still go to `ctx`'s, what else it changes stays there.
 * Constant time for the maps and sets the evaluator makes (see `shared-map.ts`), however much the line has done.
 */
export function forkContext(ctx: Ctx): Ctx {
  return {
    ...ctx,
    downloaded: forkSet(ctx.downloaded),
    written: forkMap(ctx.written),
    links: forkMap(ctx.links),
    vars: forkMap(ctx.vars),
    maybe: forkMap(ctx.maybe),
    fetched: forkMap(ctx.fetched),
    credentialFiles: forkMap(ctx.credentialFiles),
    exported: { names: forkSet(ctx.exported.names), all: ctx.exported.all },
    aliases: forkMap(ctx.aliases),
    functions: forkSet(ctx.functions),
    defined: forkSet(ctx.defined),
    bodies: forkMap(ctx.bodies),
    dirs: [...ctx.dirs],
    scopes: [...ctx.scopes],
    branches: [...(ctx.branches ?? [])],
  };
}

export function unresolved(ctx: Ctx, detail: string): void {
  ctx.findings.push({ category: "remote code execution", risk: "high", detail });
}

/**
 * Whether one of these commands, or of those in a word's `$(…)`, is a function or alias the line
 * defines (`echo() { printf 'rm -rf /'; }; echo ls | sh`): it runs instead of the builtin of that
 * name, so what it writes is only known at run time.
 */
export function runsDefined(cmds: readonly Cmd[] | Word, ctx: Ctx): boolean {
  const stages = "subs" in cmds ? cmds.subs.flatMap((s) => s.units.flatMap((u) => (u.kind === "pipeline" ? u.stages : []))) : cmds;
  return stages.some((c) => {
    const first = c.argv[0];
    const name = !first || first.dynamic ? undefined : ctx.shell === "powershell" ? first.text.toLowerCase() : first.text;
    if (name !== undefined && (ctx.functions.has(name) || ctx.aliases.has(name))) return true;
    // The commands of a block whose output the stage is (PowerShell's `& { Write-Output … }`).
    return c.body !== undefined && runsDefined(c.body.units.flatMap((u) => (u.kind === "pipeline" ? u.stages : [])), ctx);
  });
}

/** Decoded text was run: worth a look even when what it decodes to is harmless. */
export function hidden(ctx: Ctx): void {
  ctx.findings.push({ category: "remote code execution", risk: "moderate", detail: "runs text it decodes first (base64, hex, rot13, escapes), hiding what it does" });
}

/**
 * The code in some words: their literal text, or what a lone `$(…)` among them writes. A caller
 * that judges each of the texts in `otherwise` (and `partlyUnknown`) passes `eachReading`, and
 * `echo` is then read as the session's shell writes it; otherwise loosely, as one text.
 */
export function codeOf(words: readonly Word[], ctx: Ctx, eachReading = false): Produced {
  const text = literalText(words);
  if (text !== undefined) return { text, decoded: false };
  const only = words.length === 1 ? words[0] : undefined;
  // A function or alias the line defines runs instead of the builtin it is named after (`echo() { …; }; sh -c "$(echo ls)"`).
  const produced = only && !runsDefined(only, ctx) ? substitutionOutput(only, ctx.shell === "powershell", eachReading ? ctx.shell : undefined) : undefined;
  if (produced?.text === undefined) return { decoded: produced?.decoded ?? false };
  const code = (written: string): string => asUtf8(written).replace(/\n+$/, "");
  const [first = "", ...otherwise] = [...new Set(textsOf(produced).map(code))];
  const result: Produced = { text: first, decoded: produced.decoded };
  if (otherwise.length > 0) result.otherwise = otherwise;
  if (produced.partlyUnknown) result.partlyUnknown = true;
  return result;
}

export function isOpt(w: Word, powershell: boolean): boolean {
  return !w.dynamic && (powershell ? w.param === true : w.text.startsWith("-") && w.text !== "-");
}

/** Text of words known literally, joined by `separator`, or undefined when one depends on a run-time value. */
export function literalText(words: readonly Word[], separator = " "): string | undefined {
  if (words.some((w) => w.dynamic)) return undefined;
  return words.map((w) => w.text).join(separator);
}

/** The words after a program's options; `longOptions`, where given, are read as getopt_long reads them, abbreviations included. */
export function skipOptions(args: Word[], valueOptions: readonly string[], longOptions?: readonly string[]): Word[] {
  let i = 0;
  while (i < args.length) {
    const w = args[i];
    if (!w || w.dynamic || !w.text.startsWith("-") || w.text === "-") break;
    if (w.text === "--") {
      i++;
      break;
    }
    i += takesNextWord(w.text, valueOptions, longOptions) ? 2 : 1;
  }
  return args.slice(i);
}

/**
 * Whether an option takes the next word as its value, read as getopt does: in a bundle of short
 * options the first one that takes a value takes the rest of the bundle, or the next word when it
 * is last (`sudo -iu root cmd`, but `sudo -uroot cmd`). A long option cut short is the one it
 * abbreviates (`xargs --arg list sh` reads list as `--arg-file`'s), where `longOptions` are known.
 */
function takesNextWord(text: string, valueOptions: readonly string[], longOptions?: readonly string[]): boolean {
  if (valueOptions.includes(text)) return true;
  if (longOptions && text.startsWith("--") && !text.includes("=")) return longOptionTakesValue(text, longOptions, valueOptions);
  if (!/^-[^-]/.test(text)) return false;
  for (let k = 1; k < text.length; k++) {
    if (valueOptions.includes(`-${text[k] ?? ""}`)) return k === text.length - 1;
  }
  return false;
}

/**
 * The command a wrapper runs (`sudo -iu root rm x` runs `rm x`, `env A=1 nice -n5 rm x` runs
 * `nice -n5 rm x`, `xargs -0 rm` runs `rm`), or undefined when `name` is no wrapper. The one reading
 * of wrapper options, for the safety analysis and the permission rules alike.
 */
export function wrappedCommand(name: string, args: Word[]): Word[] | undefined {
  const wrapper: Wrapper | undefined = name === "xargs" ? XARGS_WRAPPER : WRAPPERS[name];
  if (!wrapper) return undefined;
  if (name === "env") {
    // `env -S 'rm -rf /'` runs the words the string splits into.
    const read = envArguments(args);
    if ("refused" in read) return [];
    if ("unknown" in read) return [read.unknown];
    args = read.argv;
  }
  let rest = skipOptions(args, wrapper.valueOptions ?? [], wrapper.longOptions);
  // `env -` is `env -i`: the command follows it.
  if (name === "env" && rest[0] && !rest[0].dynamic && rest[0].text === "-") rest = rest.slice(1);
  if (wrapper.assignments) {
    // `env z=${y:-/} sh` assigns too: the name is written out, only the value is known at run time.
    while (rest[0] && /^[A-Za-z_][A-Za-z0-9_]*=/.test(rest[0].text)) rest = rest.slice(1);
  }
  if (name === "nice" && rest[0] && /^-\d+$/.test(rest[0].text)) rest = rest.slice(1);
  return rest.slice(Math.min(wrapper.skipOperands ?? 0, rest.length));
}

export function downloadRce(ctx: Ctx, runner: string): void {
  ctx.findings.push({ category: "remote code execution", risk: "critical", detail: `downloads code and runs it with ${runner}` });
}

/**
 * A command wren cannot name, given `/`, home or a device: whatever it is, pointing it there is
 * how the worst commands look, so it is critical rather than merely unknown.
 */
export function catastrophicOperands(args: readonly Word[], ctx: Ctx): void {
  for (const w of args) {
    if (w.dynamic || (w.text.startsWith("-") && w.text.length > 1)) continue;
    const cls = classifyWord(w, ctx.paths);
    if (cls === "root" || cls === "device") {
      ctx.findings.push({ category: "system destruction", risk: "critical", detail: `runs a command only known at run time on ${w.text}` });
      return;
    }
    if (cls === "home") {
      ctx.findings.push({ category: "data loss", risk: "critical", detail: `runs a command only known at run time on ${w.text}` });
      return;
    }
  }
}

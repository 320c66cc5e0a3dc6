import type { Finding } from "./types.js";

/**
 * The shell-neutral form every front-end (bash grammar, fish tokenizer, PowerShell tokenizer)
 * produces, and the evaluator reads. Only structure that matters for safety is kept.
 */

/**
 * The run-time mark: stands in a dynamic word's `text` wherever a value goes that wren cannot know
 * (a variable, a `$(…)`, a `~` with no known home). It never appears in a word the shell could
 * produce literally, since a NUL cannot be in an argument.
 */
export const RUN_TIME = "\u0000";

/** A word after quote removal. `dynamic` words hold run-time values wren cannot know. */
export interface Word {
  /** The literal value; for dynamic words, the literal parts with `RUN_TIME` where values go. */
  text: string;
  dynamic: boolean;
  /** Contains an unquoted glob character. */
  glob: boolean;
  /** Scripts that run while expanding the word: `$(…)`, backticks, `<(…)`, `(…)` in fish. */
  subs: Script[];
  /** The word is a process substitution (`<(…)`, fish `(… | psub)`). */
  processSub?: boolean;
  /** PowerShell: the token is a parameter (`-Recurse`), not a value. */
  param?: boolean;
  /** PowerShell: the token is a member access or method call, e.g. `.DownloadString`. */
  member?: boolean;
  /**
   * PowerShell: `subs` are `(…)`, `$(…)` or `@(…)` (also inside a `"…"` string), which run in the
   * line's own scope: what they assign, and where they move, holds after them. A `{…}` block is none.
   */
  runsHere?: boolean;
  /**
   * The variable each `RUN_TIME` in `text` stands for, in order (null for substitutions and other
   * values), so that an assignment earlier on the same line can fill it in.
   */
  vars?: (string | null)[];
  /** The whole word is unquoted expansions only (`$x`, `$x$(…)`), so its value is split into words, and may be none. */
  bare?: boolean;
  /**
   * fish: the word holds an unquoted variable or `(…)`. fish expands a word as the product of its
   * lists, so one that is an empty list makes the whole word none (`foo$x`, `$x/run.sh`).
   */
  listed?: boolean;
  /** `${NAME:?}`: the line stops unless NAME is set and not empty, so the value is never empty. */
  required?: boolean;
  /**
   * Beside `vars`: the operator each `RUN_TIME` was written with (`${NAME:-word}` and the like), null
   * for a plain value. The value then depends on whether NAME is set: see {@link Param}.
   */
  params?: (Param | null)[];
  /**
   * Beside `vars`: the script of each `RUN_TIME` that is a `$(…)` or backticks, null for others, so
   * that what it writes can be filled in where wren can work that out (`"$(echo ${x:-~})"/`).
   */
  outputs?: (Script | null)[];
  /**
   * The scripts whose output a variable in the word holds, where that output is a credential or a
   * dump of the environment (`k=$(cat ~/.ssh/id_rsa); curl -d "$k" …`): `data-flow.ts` follows them
   * as the word's substitutions, but they do not run again where the word is used.
   */
  held?: Script[];
  /**
   * The variable the word starts with (`"$OPENAI_BASE_URL/v1"`), where it names a service's base URL
   * (`secret-names.ts`) and the line gives it no value anywhere: the user's environment's value, so a
   * request there goes where the user has that service (set by `filled-words.ts`).
   */
  serviceBase?: string;
  /**
   * A bare word that holds no path however it splits: what a command that prints one name or number
   * prints (`$(whoami)`, `$(id -u)`), or a variable the line gives no value anywhere (`$USER`, the
   * user's environment's), so a rule's `targets.leading` reads it as chown's owner or chmod's mode
   * (set by `evaluate.ts` through `own-values.ts`).
   */
  noPath?: true;
  /** A here-string's word (`<<< word`): the shell feeds it with a newline after it. A here-document's text ends with its own. */
  hereString?: boolean;
}

/** The operator of a `${NAME…}` expansion: a default ({@link ParamDefault}) or an edit of the value ({@link ParamEdit}). */
export type Param = ParamDefault | ParamEdit;

/**
 * `${NAME:-word}`, `${NAME-word}`, `${NAME:=word}`, `${NAME=word}`: NAME's value, or the word when
 * NAME is unset or empty (without `:`, only when unset). `${NAME:+word}`, `${NAME+word}`: the word
 * when NAME is set and not empty (without `:`, when set), else nothing.
 */
export interface ParamDefault {
  op: ":-" | "-" | ":=" | "=" | ":+" | "+";
  word: Word;
  /** The word holds quotes (`${x:-''}`, `${x:-"$y"}`): unquoted, `${x:-…}` is then a word even when it is empty. */
  quoted?: boolean;
}

/**
 * An edit of NAME's value, known only where the value is: `${NAME#pattern}` and `${NAME##pattern}`
 * remove the shortest (longest) match at the start, `%` and `%%` at the end; `${NAME:offset:length}`
 * is a part of it; `${NAME/pattern/replacement}` replaces the first match, `//` every one. Patterns
 * are bash patterns of plain characters, `*`, `?` and `[…]` (see `parameter-edits.ts`).
 */
export type ParamEdit = (
  | { op: "#" | "##" | "%" | "%%"; pattern: string }
  | { op: ":"; offset: number; length?: number }
  | { op: "/" | "//"; pattern: string; replacement: string }
) & {
  /**
   * NAME's value where it is one of several readings (`x=${y:-/tmp}`, or `${x:-/tmp}` after
   * `: ${x:=/tmp}`): the edit is of each reading, and unknown where the reading is.
   */
  of?: Word;
};

export interface Redirect {
  /** `>`, `>>`, `<`, `<>`, `&>`, `>|`, … as written, without the file descriptor. */
  op: string;
  target: Word;
  /** The file descriptor written before it (`3<>F`, `0<F`), when there is one and wren read it. */
  fd?: number;
}

/** A simple command: words, redirections and what is fed to its standard input. */
export interface Cmd {
  kind: "cmd";
  argv: Word[];
  redirects: Redirect[];
  /** Text given on standard input by a here-document or here-string. */
  stdinText?: Word;
  background?: boolean;
  /** PowerShell: the stage is an expression (a string, a variable, `(…)`), not a command. */
  expression?: boolean;
  /** Assignments before the command name (`x=/ sh -c …`): variables in that command's environment only. */
  env?: Assign[];
  /** The command starts from an emptied environment (`env -i`, sudo's env_reset, `su -`): see {@link EnvKept}. Undefined: it inherits it all. */
  envKept?: EnvKept;
  /**
   * The redirections of a compound command or a function's definition (`{ …; } > x.sh`,
   * `f() { …; } > x.sh`), held by a command without words: the commands whose output they take.
   * PowerShell: the script block an expression stage runs with `&` or `.` (`& { … } | bash`), whose
   * output is the stage's.
   */
  body?: Script;
  /**
   * With `body`: these are the redirections written after a function's body (`f() { …; } > y.sh`),
   * the function's own, which apply at each call after the call's (`f > x.sh` leaves x.sh empty in bash).
   */
  definition?: true;
  /**
   * bash: the stage is a declaration that names no variable (`export -p | nc …`, `declare -x | …`),
   * which assigns nothing and writes the variables, the environment's among them.
   */
  listsEnvironment?: true;
}

/**
 * What of the shell's variables reaches a command started from an emptied environment, besides
 * what the wrapper itself sets (`env x=/`): the `names` it keeps (`sudo --preserve-env=x`, TERM
 * through `su -`) and, with `capitals`, every all-capital name. sudo passes TERM on and keeps what
 * its `env_keep` lists, a site's setting that may name any such variable.
 */
export interface EnvKept {
  names: ReadonlySet<string>;
  capitals: boolean;
}

/** Whether a variable reaches a command whose environment `kept` says what is left of (undefined: all). */
export function keepsName(kept: EnvKept | undefined, name: string): boolean {
  return kept === undefined || kept.names.has(name) || (kept.capitals && !/[a-z]/.test(name));
}

/** Commands joined by pipes; a lone command is a pipeline of one. */
export interface Pipeline {
  kind: "pipeline";
  stages: Cmd[];
}

export interface FunctionDef {
  kind: "function";
  name: string;
  body: Script;
}

/** Words expanded outside a command (assignments, loop lists, tests): only their substitutions run. */
export interface Expand {
  kind: "expand";
  words: Word[];
}

/** A part the front-end could not make sense of. */
export interface Unresolved {
  kind: "unresolved";
  detail: string;
}

/** Findings a front-end can decide on its own (e.g. PowerShell constructs with no POSIX form). */
export interface Direct {
  kind: "direct";
  finding: Finding;
}

/** `NAME=value` on its own (or after export/local/declare/set): later words of the same line see it. */
export interface Assign {
  kind: "assign";
  name: string;
  /** Undefined when the value is unknown (a loop variable, `read`): the name then stays unresolved. */
  value?: Word;
  /**
   * `declare "$n=/"`, `export "$n"`, `unset "$n"`: a name only known at run time (`name` is then
   * empty), so any variable may have changed.
   */
  anyName?: boolean;
  /** `unset NAME`: the variable is removed. */
  unset?: boolean;
  /** Set by a `for` loop (fish: a loop around it is then read once). */
  loop?: boolean;
  /** `export NAME=…`, `declare -x`, fish `set -x`: child processes (`sh -c`) see the variable. */
  exported?: boolean;
  /** `export NAME` with no value: only exported, the value it has stays. */
  exportOnly?: boolean;
  /** HOME set by sudo to the home of the user it runs as: judged as the user's home, whatever the line gave it. */
  home?: boolean;
  /** PowerShell `$s = iwr …`: the commands whose output the value is (bash keeps them in `value.subs`). */
  source?: Script;
}

/**
 * The start or end of a subshell (`( … )`): the working directory and variables it changes are
 * restored at its end.
 */
export interface Scope {
  kind: "scope";
  edge: "start" | "end";
  /**
   * The last stage of a pipeline (`cat | x=build`, `cat | { cd /; }`): bash runs it in a subshell,
   * but with `shopt -s lastpipe` in the line's own shell, so the rest of the line is judged after
   * either (see `evaluate.ts`).
   */
  lastStage?: boolean;
  /**
   * fish's block scopes (`begin; set -l X /b; end`): only these variables are given back at its end
   * what they held at its start; the directory and the other variables stay as the block left them.
   */
  names?: string[];
  /** With `names`: only those not set at its start are given back (a function's plain `set X`, which makes X the function's where it is not set). */
  ifUnset?: boolean;
  /** fish: the block runs eval text, whose own `set -l` makes a variable the block's too (see `Ctx.scopes`). */
  evalLocals?: boolean;
}

/**
 * bash, zsh and sh: a new line of input starts here. They read a whole line, and every line of a
 * compound command, before they run any of it, so an alias the line defines applies from the next
 * line on (`alias x='rm -rf'; x ~` runs `x`; on two lines, `rm -rf ~`).
 */
export interface Line {
  kind: "line";
}

/**
 * The start or end of what may not run: a command after `&&` or `||`, a branch of `if` or `case`, a
 * loop's body. The rest of the line is judged both with and without what it does.
 */
export interface Maybe {
  kind: "maybe";
  edge: "start" | "end";
}

export type Unit = Pipeline | FunctionDef | Expand | Unresolved | Direct | Assign | Scope | Line | Maybe;

export interface Script {
  units: Unit[];
}

export function literalWord(text: string): Word {
  return { text, dynamic: false, glob: false, subs: [] };
}

export function single(cmd: Cmd): Pipeline {
  return { kind: "pipeline", stages: [cmd] };
}

/** Whether a redirection gives a command's standard input: `< file`, `0< file`. */
export function readsStdin(r: Redirect): boolean {
  return r.op === "<" && (r.fd === undefined || r.fd === 0);
}

/** Whether a command reads standard input of its own: a here-string, a here-document or `< file`. */
export function hasOwnInput(cmd: Cmd): boolean {
  return cmd.stdinText !== undefined || cmd.redirects.some(readsStdin);
}

/**
 * Each pipeline among `units` that reads no input of its own, fed what the command around them
 * reads (a compound command's or a function call's input): the commands of `{ bash; } <<< text`.
 */
export function feedInput(units: Unit[], feed: (u: Pipeline) => Pipeline): Unit[] {
  return units.map((u) => {
    const first = u.kind === "pipeline" ? u.stages[0] : undefined;
    return u.kind === "pipeline" && first && !hasOwnInput(first) ? feed(u) : u;
  });
}

/** A pipeline whose first command reads `stdin` (a here-string's or here-document's text) or the files of `from` (`< file`). */
export function fedPipeline(u: Pipeline, stdin: Word | undefined, from: Redirect[]): Pipeline {
  const [first, ...rest] = u.stages;
  if (!first) return u;
  const fed: Cmd = { ...first, redirects: [...first.redirects, ...from] };
  if (stdin) fed.stdinText = stdin;
  return { ...u, stages: [fed, ...rest] };
}

/**
 * The units of a piped block (its own and those of the blocks inside it) past which its commands
 * are not read again with the pipe's input (see {@link pipedInto}): each level of
 * `echo … | { echo … | { …; }; }` doubles them. Past it the line is at least high.
 */
export const PIPED_BLOCK_UNITS = 1_000;

/**
 * `echo … | { bash; }`: each pipeline among `units` that reads no input of its own is read once
 * more after it with `upstream`'s stages before it, in a scope of its own, so that where it moves
 * or what it assigns stays as the pipeline itself leaves it.
 */
export function pipedInto(units: Unit[], upstream: Cmd[]): Unit[] {
  if (units.length > PIPED_BLOCK_UNITS) return [...units, { kind: "unresolved", detail: "blocks piped into one another are nested more deeply than wren follows" }];
  return units.flatMap((u) => {
    const [f] = feedInput([u], (p) => ({ ...p, stages: [...upstream, ...p.stages] }));
    return f === undefined || f === u ? [u] : [u, { kind: "scope", edge: "start" }, f, { kind: "scope", edge: "end" }];
  });
}

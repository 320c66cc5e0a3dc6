import type { ExpandContext } from "./bash-parser.js";
import type { Assign, Cmd, Redirect, Script, Unit, Word } from "./ir.js";
import { RUN_TIME, feedInput, fedPipeline, pipedInto, readsStdin } from "./ir.js";
import { expandBraceList } from "./bash-braces.js";
import { expandTilde } from "./paths.js";
import { fishIndex, fishSet } from "./variables.js";
import { DIR_MOVERS } from "./workdir.js";

/** A word of {@link DIR_MOVERS} before a `$PWD`: from there the evaluator fills it in. */
const MOVED = new RegExp(`(^|[\\s;&|(])(${[...DIR_MOVERS].join("|")})(?=[\\s;&|)]|$)`);

/**
 * fish has no tree-sitter grammar in this project, so this is a tokenizer that understands fish's
 * structure: quoting rules (`'…'` with only `\'` and `\\` escapes, `"…"` with `$var` and `$(…)`),
 * command substitution `(…)` / `$(…)` (analysed recursively, `(… | psub)` as process substitution),
 * `;`, newlines, `&&`, `||`, `|`, `&`, redirections, `and`/`or`/`not`, and blocks
 * (`begin`/`if`/`while`/`for`/`switch`/`function` … `end`). Anything it cannot read (an unclosed
 * quote or parenthesis) is reported as unresolved, which rates the command at least `high`.
 */
export function parseFish(text: string, env: ExpandContext): Script {
  try {
    return new FishParser(text, env).script();
  } catch (error) {
    if (error instanceof FishSyntaxError) return { units: [{ kind: "unresolved", detail: `the fish command could not be parsed (${error.message})` }] };
    throw error;
  }
}

class FishSyntaxError extends Error {}

/**
 * A plain word with a brace list is several words (`{rm,-rf,/}` is `rm -rf /`, `r{m,}` is `rm r`):
 * only one written without quotes, escapes or expansions, as `raw` shows it.
 */
function braceTokens(token: Token, raw: string): Token[] {
  if (token.t !== "word" || token.bare === undefined || token.assign || /['"\\$()]/.test(raw)) return [token];
  const texts = expandBraceList(token.word.text);
  if (!texts) return [token];
  return texts.map((text): Token => ({ t: "word", word: { text, dynamic: false, glob: token.word.glob, subs: [] }, bare: text }));
}

type Token =
  | { t: "word"; word: Word; bare: string | undefined; assign?: Assign; homed?: { word: Word; assign?: Assign } }
  | { t: "sep"; v: ";" | "&&" | "||" | "&" }
  | { t: "pipe" }
  | { t: "redir"; op: string; fdTarget: boolean };

const SPECIAL = new Set([" ", "\t", "\n", "\r", ";", "|", "&", "<", ">", "#"]);

/** `NAME=` at the start of a word as written (fish: letters, digits and `_`, so `1A=x` too; not `X[1]=`, `"X"=`, `=x`). */
const ASSIGNMENT = /[\p{L}\p{N}_]+(?==)/uy;

class FishParser {
  private i = 0;
  constructor(
    private readonly src: string,
    private readonly env: ExpandContext,
  ) {
    this.homeSlot = env.homeAssigned === true;
  }

  script(): Script {
    // The user's home, which a `set HOME` that may not run, or one in a block, leaves HOME holding (see `assemble`):
    // not where the line was given HOME (`HOME=/ fish -c …`), whose value the evaluator holds.
    const home = this.env.home !== undefined && !this.homeSlot ? fishTilde("~", this.env) : undefined;
    return assemble(this.tokens(), home);
  }

  private tokens(): Token[] {
    const out: Token[] = [];
    const s = this.src;
    while (this.i < s.length) {
      const c = s[this.i] ?? "";
      if (c === " " || c === "\t" || c === "\r") {
        this.i++;
      } else if (c === "\\" && s[this.i + 1] === "\n") {
        this.i += 2;
      } else if (c === "#") {
        while (this.i < s.length && s[this.i] !== "\n") this.i++;
      } else if (c === "\n" || c === ";") {
        out.push({ t: "sep", v: ";" });
        this.i++;
      } else if (s.startsWith("&&", this.i)) {
        out.push({ t: "sep", v: "&&" });
        this.i += 2;
      } else if (s.startsWith("||", this.i)) {
        out.push({ t: "sep", v: "||" });
        this.i += 2;
      } else if (c === "|" || s.startsWith("&|", this.i)) {
        out.push({ t: "pipe" });
        this.i += c === "|" ? 1 : 2;
      } else if (s.startsWith("&>", this.i)) {
        const op = s.startsWith("&>>", this.i) ? "&>>" : "&>";
        this.i += op.length;
        out.push({ t: "redir", op, fdTarget: false });
      } else if (c === "&") {
        out.push({ t: "sep", v: "&" });
        this.i++;
      } else if (c === "<" || c === ">" || (/[0-9]/.test(c) && this.redirectAhead())) {
        out.push(this.redirect());
      } else {
        const start = this.i;
        const token = this.word();
        out.push(...braceTokens(token, s.slice(start, this.i)));
      }
    }
    return out;
  }

  private redirectAhead(): boolean {
    let j = this.i;
    while (/[0-9]/.test(this.src[j] ?? "")) j++;
    return this.src[j] === ">" || this.src[j] === "<";
  }

  private redirect(): Token {
    const s = this.src;
    while (/[0-9]/.test(s[this.i] ?? "")) this.i++;
    const m = /^(>>|>\?|>\||>&|<&|<|>)/.exec(s.slice(this.i));
    const op = m?.[1] ?? ">";
    this.i += op.length;
    if (op === ">|") return { t: "pipe" };
    if (op.endsWith("&")) {
      while (/[0-9-]/.test(s[this.i] ?? "")) this.i++;
      return { t: "redir", op, fdTarget: true };
    }
    return { t: "redir", op, fdTarget: false };
  }

  /** The variable behind each `RUN_TIME` of the word being read. */
  private slots: (string | null)[] = [];
  /** The word being read expanded `$HOME` or `~` (a value's too: `X=~`) to the user's home. */
  private usedHome = false;
  /**
   * Reading a word again with its `$HOME` and `~` left the variable HOME (see `Token.homed`); every
   * word of a child fish whose HOME the line gave it (`HOME=/ fish -c 'rm -rf ~'`: see
   * `ExpandContext.homeAssigned`), as fish reads `~` from HOME.
   */
  private homeSlot: boolean;

  private word(): Token {
    const s = this.src;
    const start = this.i;
    let text = "";
    let dynamic = false;
    let glob = false;
    let processSub = false;
    const subs: Script[] = [];
    let quoted = false;
    let listed = false;
    this.slots = [];
    this.usedHome = false;
    while (this.i < s.length) {
      const c = s[this.i] ?? "";
      if (SPECIAL.has(c) && !(c === "#" && this.i > start)) break;
      if (c === "'") {
        quoted = true;
        this.i++;
        while (true) {
          const d = s[this.i];
          if (d === undefined) throw new FishSyntaxError("unclosed single quote");
          this.i++;
          if (d === "'") break;
          if (d === "\\" && (s[this.i] === "'" || s[this.i] === "\\")) {
            text += s[this.i];
            this.i++;
          } else text += d;
        }
      } else if (c === '"') {
        quoted = true;
        this.i++;
        while (true) {
          const d = s[this.i];
          if (d === undefined) throw new FishSyntaxError("unclosed double quote");
          if (d === '"') {
            this.i++;
            break;
          }
          if (d === "\\" && /["\\$\n]/.test(s[this.i + 1] ?? "")) {
            if (s[this.i + 1] !== "\n") text += s[this.i + 1];
            this.i += 2;
          } else if (d === "$" && s[this.i + 1] === "(") {
            this.i++;
            subs.push(this.substitution().script);
            dynamic = true;
            text += RUN_TIME;
            this.slots.push(null);
          } else if (d === "$" && /[A-Za-z_{]/.test(s[this.i + 1] ?? "")) {
            text += this.variable(subs);
            dynamic ||= text.includes(RUN_TIME);
          } else {
            text += d;
            this.i++;
          }
        }
      } else if (c === "\\") {
        const d = s[this.i + 1] ?? "";
        // A backslash-newline inside a word joins it: `r\⏎m` is `rm`.
        if (d !== "\n") text += ({ n: "\n", t: "\t", r: "\r", e: "\x1b" } as Record<string, string>)[d] ?? d;
        this.i += 2;
      } else if (c === "(" || (c === "$" && s[this.i + 1] === "(")) {
        if (c === "$") this.i++;
        const sub = this.substitution();
        subs.push(sub.script);
        processSub ||= sub.psub;
        // `(… | psub)` is a file name, one word whatever it writes.
        listed ||= !sub.psub;
        dynamic = true;
        text += RUN_TIME;
        this.slots.push(null);
      } else if (c === "$") {
        const value = this.variable(subs);
        text += value;
        dynamic ||= text.includes(RUN_TIME);
        listed ||= value.includes(RUN_TIME);
      } else if (c === "~" && this.i === start) {
        // `~` is home, `~bob` that user's home.
        const name = /^[A-Za-z0-9._+-]*/.exec(s.slice(this.i + 1))?.[0] ?? "";
        this.usedHome ||= name === "";
        if (name === "" && this.homeSlot) {
          text += RUN_TIME;
          dynamic = true;
          this.slots.push("HOME");
        } else text += fishTilde(`~${name}`, this.env);
        this.i += 1 + name.length;
      } else {
        if (c === "*" || c === "?") glob = true;
        text += c;
        this.i++;
      }
    }
    const word: Word = { text, dynamic, glob, subs };
    if (processSub) word.processSub = true;
    if (dynamic) word.vars = this.slots;
    if (text === RUN_TIME && !quoted && subs.length === 0) word.bare = true;
    if (listed && !processSub) word.listed = true;
    const token: Token = { t: "word", word, bare: quoted || dynamic ? undefined : text };
    const assign = this.assignment(start, word);
    if (assign) token.assign = assign;
    // fish expands a command's words after its `HOME=…` (`HOME=/ rm -rf ~` deletes /): the word read
    // again with HOME left a variable, for a command that sets it (see `withAssigned`).
    if (this.usedHome && !this.homeSlot) {
      const end = this.i;
      this.i = start;
      this.homeSlot = true;
      const again = this.word();
      this.homeSlot = false;
      this.i = end;
      if (again.t === "word") token.homed = { word: again.word, ...(again.assign ? { assign: again.assign } : {}) };
    }
    return token;
  }

  /**
   * The word read from `start` as an assignment, where it is one before a command's name
   * (`NAME=value cmd`, fish 3.1 on): NAME as written, the value the rest, its `~` at the start
   * expanded as fish expands a value's.
   */
  private assignment(start: number, word: Word): Assign | undefined {
    ASSIGNMENT.lastIndex = start;
    const name = ASSIGNMENT.exec(this.src)?.[0];
    if (!name) return undefined;
    let text = word.text.slice(name.length + 1);
    const valueStart = start + name.length + 1;
    let home = false;
    if (this.src[valueStart] === "~") {
      const user = /^~[A-Za-z0-9._+-]*/.exec(text)?.[0] ?? "~";
      this.usedHome ||= user === "~";
      home = user === "~" && this.homeSlot;
      text = (home ? RUN_TIME : fishTilde(user, this.env)) + text.slice(user.length);
    }
    const value: Word = { text, dynamic: text.includes(RUN_TIME), glob: word.glob, subs: word.subs };
    if (value.dynamic) value.vars = home ? ["HOME", ...(word.vars ?? [])] : (word.vars ?? []);
    if (word.listed) value.listed = true;
    return { kind: "assign", name, value };
  }

  /**
   * At `$`: a variable, and the index after it (`$x[2]`, `$x[1..-1]`). An index of numbers and
   * ranges is kept with the name (`x[2]`) for the evaluator to apply to the list; one known only at
   * run time (`$x[$i]`, `$x[(seq 2)]`) makes the value unknown, its `(…)` run (into `subs`).
   */
  private variable(subs: Script[]): string {
    const s = this.src;
    this.i++;
    const m = /^(\{[A-Za-z_][A-Za-z0-9_]*\}|[A-Za-z_][A-Za-z0-9_]*)/.exec(s.slice(this.i));
    if (!m) return "$";
    this.i += m[0].length;
    const name = (m[1] ?? "").replace(/[{}]/g, "");
    const index = s[this.i] === "[" ? this.index(subs) : undefined;
    // After a `cd` (`cd /; rm -rf $PWD`) PWD is left to the evaluator, which follows the directory; a word that only looks like one leaves it too, and it reads the same.
    const moved = this.env.cwdChanged === true || MOVED.test(s.slice(0, this.i));
    this.usedHome ||= name === "HOME";
    const known = name === "HOME" ? (this.homeSlot && index === undefined ? undefined : this.env.home) : name === "PWD" && !this.env.cwdUnknown && !moved ? this.env.cwd : undefined;
    if (index === undefined) {
      if (known !== undefined) return known;
      this.slots.push(name);
      return RUN_TIME;
    }
    // HOME and PWD are one element each.
    const picked = known !== undefined && index !== null ? fishIndex([known], index) : undefined;
    if (picked?.length === 1) return picked[0] ?? "";
    this.slots.push(index !== null && known === undefined ? `${name}[${index}]` : null);
    return RUN_TIME;
  }

  /** At `[` after a variable: reads to the matching `]`; the index's text, or null where it holds a value known only at run time. */
  private index(subs: Script[]): string | null {
    const s = this.src;
    const open = this.i;
    let literal = true;
    this.i++;
    while (s[this.i] !== "]") {
      const c = s[this.i];
      if (c === undefined) throw new FishSyntaxError("unclosed index");
      if (c === "(" || (c === "$" && s[this.i + 1] === "(")) {
        if (c === "$") this.i++;
        subs.push(this.substitution().script);
        literal = false;
      } else {
        literal &&= /[\d.\s-]/.test(c);
        this.i++;
      }
    }
    this.i++;
    return literal ? s.slice(open + 1, this.i - 1) : null;
  }

  /** At `(`: reads to the matching `)` honouring quotes, and parses the inside as fish. */
  private substitution(): { script: Script; psub: boolean } {
    const s = this.src;
    const open = this.i;
    let depth = 0;
    let j = open;
    for (; j < s.length; j++) {
      const c = s[j];
      if (c === "\\") j++;
      else if (c === "'") {
        j++;
        while (j < s.length && s[j] !== "'") j += s[j] === "\\" ? 2 : 1;
      } else if (c === '"') {
        j++;
        while (j < s.length && s[j] !== '"') j += s[j] === "\\" ? 2 : 1;
      } else if (c === "(") depth++;
      else if (c === ")" && --depth === 0) break;
    }
    if (j >= s.length) throw new FishSyntaxError("unclosed parenthesis");
    const inner = s.slice(open + 1, j);
    this.i = j + 1;
    const script = new FishParser(inner, this.env).script();
    const last = script.units[script.units.length - 1];
    const psub = last?.kind === "pipeline" && last.stages.length > 1 && last.stages[last.stages.length - 1]?.argv[0]?.text === "psub";
    return { script, psub };
  }
}

interface Block {
  kind: string;
  name?: string;
  units?: Unit[];
  /** A `for` block: the words of its header (`NAME in VALUES…`) while they are read, then done. */
  header?: Word[];
  headerDone?: boolean;
  /** `if`, `while`: the condition is still being read; the body, which may not run, comes after it. */
  condition?: boolean;
  /** A branch that may not run is open (`if`'s body, an `else`, a `case`), closed at the next branch or `end`. */
  branch?: boolean;
  /** The block itself may not run (`test -e y; and begin … end`): closed at its `end`. */
  maybe?: boolean;
  /** The stages piped into the block (`echo … | begin; bash; end`), whose output its commands read. */
  upstream?: Cmd[];
  /** Where in `units` the block's own scope starts: after the condition of `if` and `while`, which is the enclosing scope's. */
  scopeAt?: number;
  /** The names its `set -l` made the block's (`-f` in a function): given back at its end what they held at its start. */
  locals?: Set<string>;
  /** Those made by a `set -l` that may not run (`true; and set -l X /b`), or given a global value too: given back or not. */
  maybeLocals?: Set<string>;
  /** Names a `set -g` inside it set: one the block also made its own is given back or not. */
  globals?: Set<string>;
  /** It runs eval text, whose `set -l` is the block's (see `Scope.evalLocals`). */
  evals?: boolean;
  /** A function: the names a plain `set` inside it set, the function's own where they were not set before (see {@link scoped}). */
  plain?: Set<string>;
}

/** A block just ended: its commands wait for the redirections after its `end` (`end < x.sh`), which give them their input. */
interface Ended {
  units: Unit[];
  upstream?: Cmd[];
  maybe?: boolean;
}

/** More values than this in a loop's list leave the loop variable unknown. */
const MAX_LOOP_VALUES = 16;

/**
 * `~` or `~NAME` as fish expands it: the home, or user NAME's. fish has no `~+` or `~-` (bash's
 * working directories): `+` and `-` name no user, so `~+` stays as written, a file named `~+`.
 */
function fishTilde(prefix: string, env: ExpandContext): string {
  if (/^~[+-]/.test(prefix)) return prefix;
  return expandTilde(prefix, env) ?? prefix;
}

/**
 * `for d in ~ /; rm -rf $d; end`: a loop over literal words runs its body once per value, so the
 * body is read once per value with the variable set to it. A value only known at run time, a
 * pattern, a long list or a loop inside the body leaves the variable unknown and the body read once.
 * Over a list that may be empty (`(…)`, `$l`, a pattern that matches nothing) the body may not run.
 */
function loopUnits(block: Block): Unit[] {
  const [name, keyword, ...values] = block.header ?? [];
  const body = block.units ?? [];
  const nested = body.some((u) => u.kind === "assign" && u.loop === true);
  const literal = values.every((w) => !w.dynamic && !w.glob && w.subs.length === 0);
  if (!name || name.dynamic || keyword?.text !== "in") return [{ kind: "expand", words: block.header ?? [] }, ...body];
  if (nested || !literal || values.length === 0 || values.length > MAX_LOOP_VALUES) {
    const runs: Unit[] = literal && values.length > 0 ? body : [{ kind: "maybe", edge: "start" }, ...body, { kind: "maybe", edge: "end" }];
    return [{ kind: "expand", words: values }, { kind: "assign", name: name.text, loop: true }, ...runs];
  }
  return values.flatMap((v): Unit[] => [{ kind: "assign", name: name.text, value: v, loop: true }, ...body]);
}

/**
 * `X=/ rm -rf $X`: a word of a command with `NAME=value` before its name, each variable the
 * assignments gave a value read as that value (fish sets them before it expands the words; an
 * indexed one, `$X[1]`, stays unknown).
 */
function withAssigned(word: Word, env: Assign[] | undefined): Word {
  const slots = word.vars;
  if (!env || env.length === 0 || !slots || !slots.some((v) => v !== null && env.some((a) => a.name === v))) return word;
  const parts = word.text.split(RUN_TIME);
  let text = parts[0] ?? "";
  const vars: (string | null)[] = [];
  slots.forEach((name, i) => {
    const value = [...env].reverse().find((a) => a.name === name)?.value;
    if (value) {
      text += value.text;
      const marks = value.text.split(RUN_TIME).length - 1;
      vars.push(...Array.from({ length: marks }, (_, j) => value.vars?.[j] ?? null));
    } else {
      text += RUN_TIME;
      vars.push(name);
    }
    text += parts[i + 1] ?? "";
  });
  const dynamic = text.includes(RUN_TIME);
  const { vars: _vars, bare, listed, ...rest } = word;
  const out: Word = { ...rest, text, dynamic };
  if (dynamic) {
    out.vars = vars;
    if (listed) out.listed = true;
    if (bare && text === RUN_TIME) out.bare = true;
  }
  return out;
}

/** The scope flags of a `set`: `-l` makes a variable of the block, `-f` of the function, `-g` a global one, `-U` a universal one, `-e` erases. */
type SetScope = "local" | "function" | "global" | "universal" | "erase" | "plain";

/** The variable a `set` command changes and how (see {@link SetScope}); undefined where it changes none (`set -q`, not `set`). */
function setScope(cmd: Cmd): { name: string; scope: SetScope } | undefined {
  const [name, ...args] = cmd.argv;
  if (name?.dynamic !== false || name.text !== "set") return undefined;
  const set = fishSet(args);
  if (!set) return undefined;
  const end = args.findIndex((w) => w.dynamic || !w.text.startsWith("-"));
  const flags = args.slice(0, end === -1 ? args.length : end).map((w) => w.text);
  const has = (long: string, short: string): boolean => flags.some((f) => f === long || new RegExp(`^-[a-zA-Z]*${short}`).test(f));
  const scope: SetScope = has("--universal", "U") ? "universal" : has("--erase", "e") ? "erase" : has("--local", "l") ? "local" : has("--function", "f") ? "function" : has("--global", "g") ? "global" : "plain";
  return { name: set.name, scope };
}

/** The names a fish script's `set -l` (`-f`) makes local, in its blocks too. */
export function fishLocals(script: Script): string[] {
  return script.units.flatMap((u) => (u.kind === "pipeline" ? u.stages.map(setScope).flatMap((s) => (s?.scope === "local" || s?.scope === "function" ? [s.name] : [])) : []));
}

/**
 * A block's units with its scope around them: fish gives a variable its `set -l` made the block's
 * (`-f`, the function's) back what it held before at its `end` (`set X /a; begin; set -l X /b; end;
 * echo $X` prints /a), and one a function's plain `set` made where it was not set (`function g; set
 * X /b; end; g; echo $X` prints nothing). Where a `set -l` may not have run, and for a function's plain
 * `set` of a name that may have been set (from the environment), both are read.
 */
function scoped(block: Block): Unit[] {
  const units = block.units ?? [];
  const globals = block.globals ?? new Set<string>();
  const certain = [...(block.locals ?? [])].filter((n) => !globals.has(n));
  const either = [...new Set([...(block.maybeLocals ?? []), ...(block.locals ?? [])])].filter((n) => !certain.includes(n));
  const plain = [...(block.plain ?? [])].filter((n) => !certain.includes(n) && !either.includes(n));
  if (certain.length + either.length + plain.length === 0 && !block.evals) return units;
  const at = block.scopeAt ?? 0;
  const own = certain.length > 0 || block.evals === true;
  const starts = [plain, either].filter((n) => n.length > 0).map((names): Unit => ({ kind: "scope", edge: "start", names }));
  if (own) starts.push({ kind: "scope", edge: "start", names: certain, ...(block.evals ? { evalLocals: true } : {}) });
  const ends: Unit[] = [];
  if (own) ends.push({ kind: "scope", edge: "end", names: certain });
  if (either.length > 0) ends.push({ kind: "maybe", edge: "start" }, { kind: "scope", edge: "end", names: either }, { kind: "maybe", edge: "end" });
  if (plain.length > 0) ends.push({ kind: "maybe", edge: "start" }, { kind: "scope", edge: "end", names: plain, ifUnset: true }, { kind: "maybe", edge: "end" });
  return [...units.slice(0, at), ...starts, ...units.slice(at), ...ends];
}

/**
 * What a `set` command does to HOME, which fish reads `~` from (`set HOME /tmp/x; echo ~` prints
 * /tmp/x, with `-l`, `-g`, `-x` too): `"set"` where it changes it, `"local"` for `set -l HOME`
 * (inside a block, a variable of that block only), `"erased"` for `set -e HOME` (fish 3.6 then
 * expands `~` to an empty word; read as the user's home again, the stricter reading), undefined
 * where HOME stays as it was (`set -q`, a universal HOME, which the global one hides).
 */
function homeSetting(cmd: Cmd): "set" | "local" | "erased" | undefined {
  const set = setScope(cmd);
  if (set?.name !== "HOME" || set.scope === "universal") return undefined;
  return set.scope === "erase" ? "erased" : set.scope === "local" ? "local" : "set";
}

/**
 * `home`: the user's home, which HOME holds until the line sets it; given, a `set HOME` in a block
 * or after `and`/`or` is followed too (see the `set HOME` in `flushPipeline`).
 */
function assemble(tokens: Token[], home?: string): Script {
  const root: Unit[] = [];
  const stack: Block[] = [];
  const target = (): Unit[] => {
    for (let k = stack.length - 1; k >= 0; k--) {
      const u = stack[k]?.units;
      if (u) return u;
    }
    return root;
  };
  let stages: Cmd[] = [];
  let current: Cmd = { kind: "cmd", argv: [], redirects: [] };
  let pendingRedirect: string | undefined;
  let atStart = true;
  let expandMode = false;
  let functionHeader = false;
  let skipRestOfStatement = false;
  // The next command runs only as the last one's status says (`and`, `or`, `&&`, `||`).
  let conditional = false;
  const start: Unit = { kind: "maybe", edge: "start" };
  const end: Unit = { kind: "maybe", edge: "end" };
  let ended: Ended | undefined;
  // A `set HOME` the line ran (see `homeSetting`): from there on `~` and `$HOME` are the variable.
  let homeSet = false;
  // HOME holding the user's home, for the evaluator to read where a `set HOME` may not have run.
  const homeUnit = (): Unit => ({ kind: "assign", name: "HOME", value: { text: home ?? "", dynamic: false, glob: false, subs: [] } });

  // `begin; bash; end < x.sh`, `echo … | begin; bash; end`: the commands inside read the block's
  // input, each that reads none of its own (`if`, `while`, `for` and `switch` blocks too).
  const flushBlock = (): void => {
    if (!ended) return;
    const from = current.redirects.filter(readsStdin);
    const upstream = ended.upstream;
    const units = from.length > 0 ? feedInput(ended.units, (p) => fedPipeline(p, undefined, from)) : upstream ? pipedInto(ended.units, upstream) : ended.units;
    target().push(...units);
    if (ended.maybe) target().push(end);
    // `begin; echo …; end > x.sh`: the redirections write what the commands inside write.
    // What they write is theirs alone: not again as read once more with the pipe's input.
    if (current.argv.length === 0) current.body = { units: upstream ? ended.units : units };
    ended = undefined;
  };

  // What a `set` does to the scopes of the blocks it is in (see `scoped`): the condition of `if` and
  // `while` is the enclosing scope's, a function's body a scope of its own.
  const noteScope = (cmd: Cmd, mayNotRun: boolean): void => {
    const top = stack[stack.length - 1];
    const blocks = top?.condition ? stack.slice(0, -1) : stack;
    const own = blocks[blocks.length - 1];
    if (own && cmd.argv[0]?.dynamic === false && cmd.argv[0].text === "eval") own.evals = true;
    const set = setScope(cmd);
    if (!set) return;
    const fn = blocks.findLast((b) => b.kind === "function");
    const add = (key: "locals" | "maybeLocals" | "globals" | "plain", block: Block | undefined): void => {
      if (block) (block[key] ??= new Set()).add(set.name);
    };
    if (set.scope === "local" || set.scope === "function") add(mayNotRun ? "maybeLocals" : "locals", set.scope === "local" ? own : fn);
    else if (set.scope === "global") for (const b of blocks.slice(fn ? blocks.indexOf(fn) : 0)) add("globals", b);
    else if (set.scope === "plain") add("plain", fn);
  };

  const flushPipeline = (background = false): void => {
    flushBlock();
    const loop = stack[stack.length - 1];
    if (loop?.kind === "for") loop.headerDone = true;
    if (current.argv.length > 0 || current.redirects.length > 0) stages.push(current);
    if (background && stages.length > 0) {
      const last = stages[stages.length - 1];
      if (last) last.background = true;
    }
    // fish's plain `set` changes HOME where it is, the global one, in a block too (`begin; set HOME /;
    // end; rm -rf ~` deletes /); after `and`/`or`, or in a body that may not run, it may not have: the
    // evaluator reads both values, HOME holding the user's home from the start of the line (and again
    // after `set -e HOME`). `set -l HOME` in a block is that block's: read as one that may not run,
    // inside the block and after it. One in a function is not followed (`~` stays the user's home).
    const setting = stages.map(homeSetting).findLast((s) => s !== undefined);
    const nested = stack.length > 0 || conditional;
    const followed = setting !== undefined && (!nested || (home !== undefined && !stack.some((b) => b.kind === "function")));
    const units: Unit[] = stages.length > 0 ? [{ kind: "pipeline", stages }] : [];
    if (followed && !nested) homeSet = setting !== "erased";
    else if (followed && setting !== "erased") {
      if (!homeSet) root.unshift(homeUnit());
      homeSet = true;
    }
    if (followed && setting === "erased" && home !== undefined) units.push(homeUnit());
    const maybe = conditional || (followed && setting === "local" && stack.length > 0);
    for (const cmd of stages) noteScope(cmd, conditional);
    if (units.length > 0 && maybe) target().push(start, ...units, end);
    else target().push(...units);
    if (stages.length > 0) conditional = false;
    // The condition of `if` or `while` read, its body may not run.
    if (stages.length > 0 && loop?.condition) {
      loop.condition = false;
      loop.branch = true;
      target().push(start);
      loop.scopeAt = target().length;
    }
    stages = [];
    current = { kind: "cmd", argv: [], redirects: [] };
    atStart = true;
    expandMode = false;
    functionHeader = false;
    skipRestOfStatement = false;
  };

  for (const [k, tok] of tokens.entries()) {
    if (tok.t === "redir") {
      if (!tok.fdTarget) pendingRedirect = tok.op;
      continue;
    }
    if (tok.t === "pipe") {
      flushBlock();
      // `begin; …; end | bash`: the block is a stage, its commands' output the next one's input.
      if (current.argv.length > 0 || current.redirects.length > 0 || current.body) stages.push(current);
      current = { kind: "cmd", argv: [], redirects: [] };
      atStart = true;
      continue;
    }
    if (tok.t === "sep") {
      flushPipeline(tok.v === "&");
      if (tok.v === "&&" || tok.v === "||") conditional = true;
      continue;
    }
    // fish sets a command's `NAME=value` before it expands the command's words: they see the value,
    // HOME's in `$HOME` and `~` too (`HOME=/ rm -rf ~`), as after the line's `set HOME /`.
    const homed = homeSet || current.env?.some((a) => a.name === "HOME") ? tok.homed : undefined;
    const word = withAssigned(homed?.word ?? tok.word, current.env);
    if (pendingRedirect) {
      const r: Redirect = { op: pendingRedirect, target: word };
      current.redirects.push(r);
      pendingRedirect = undefined;
      continue;
    }
    if (atStart && current.argv.length === 0) {
      const kw = tok.bare;
      if (kw === "and" || kw === "or") conditional = true;
      // A block after `and` or `or` may not run as a whole.
      const block = (b: Block): void => {
        flushBlock();
        if (conditional) target().push(start);
        // `echo … | begin`: the stages before the block run first; their output is its input.
        const upstream = stages.length > 0 ? stages : undefined;
        if (upstream) target().push({ kind: "pipeline", stages: upstream });
        stages = [];
        stack.push({ ...b, units: b.units ?? [], ...(upstream ? { upstream } : {}), ...(conditional ? { maybe: true } : {}) });
        conditional = false;
      };
      // Another branch of `if` (`else`) or `switch` (`case`): the one before it ends, this one may not run.
      const branch = (): void => {
        const top = stack[stack.length - 1];
        if (!top || (kw === "else") !== (top.kind === "if") || (kw === "case" && top.kind !== "switch")) return;
        if (top.branch) target().push(end);
        top.branch = true;
        target().push(start);
      };
      if (kw === "and" || kw === "or" || kw === "not" || kw === "!" || kw === "time" || kw === "begin" || kw === "else") {
        if (kw === "begin") block({ kind: "begin" });
        if (kw === "else") branch();
        continue;
      }
      if (kw === "if" || kw === "while") {
        block({ kind: kw, condition: true });
        continue;
      }
      if (kw === "for" || kw === "switch" || kw === "case") {
        if (kw === "for") block({ kind: kw, units: [], header: [] });
        else if (kw === "switch") block({ kind: kw });
        else branch();
        atStart = false;
        expandMode = true;
        continue;
      }
      if (kw === "function") {
        functionHeader = true;
        continue;
      }
      if (kw === "end") {
        flushBlock();
        if (stack[stack.length - 1]?.branch) target().push(end);
        const block = stack.pop();
        if (block?.kind === "function" && block.units) {
          target().push({ kind: "function", name: block.name ?? "", body: { units: scoped(block) } });
          // `function f; …; end > x.sh`: the redirections are defining the function's, which writes
          // nothing (fish empties x.sh there); the calls write where their own redirections say.
          ended = { units: [] };
        } else if (block) {
          const units = scoped(block);
          ended = { units: block.kind === "for" ? loopUnits({ ...block, units }) : units, ...(block.upstream ? { upstream: block.upstream } : {}), ...(block.maybe ? { maybe: true } : {}) };
        }
        continue;
      }
    }
    if (functionHeader) {
      stack.push({ kind: "function", name: word.text, units: [] });
      functionHeader = false;
      skipRestOfStatement = true;
      continue;
    }
    if (skipRestOfStatement) continue;
    const loop = stack[stack.length - 1];
    if (expandMode && loop?.kind === "for" && !loop.headerDone) {
      loop.header?.push(word);
      continue;
    }
    if (expandMode) {
      target().push({ kind: "expand", words: [word] });
      continue;
    }
    // `A=1 B=$A cmd`: variables in the environment of that one command (a keyword may follow: `X=1 not cmd`).
    // Without a command after it (`X=1;`) fish refuses the whole line: left a word that runs nothing.
    if (tok.assign && current.argv.length === 0 && tokens[k + 1]?.t === "word") {
      const assign = homed?.assign ?? tok.assign;
      const value = assign.value && withAssigned(assign.value, current.env);
      (current.env ??= []).push(value ? { ...assign, value } : assign);
      continue;
    }
    atStart = false;
    // What the assignments' values run (`X=(curl …) cmd`) runs before the command, as bash's does.
    const assigned = current.argv.length === 0 ? (current.env ?? []).flatMap((a) => a.value?.subs ?? []) : [];
    current.argv.push(assigned.length > 0 ? { ...word, subs: [...word.subs, ...assigned] } : word);
  }
  flushPipeline();
  if (pendingRedirect) target().push({ kind: "unresolved", detail: "a redirection has no target" });
  if (stack.length > 0) root.push({ kind: "unresolved", detail: `a fish block (${stack.map((b) => b.kind).join(", ")}) is not closed with end` });
  return { units: root };
}

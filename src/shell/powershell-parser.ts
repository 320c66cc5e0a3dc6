import type { ExpandContext } from "./expand-context.js";
import type { Cmd, Script, Unit, Word } from "./ir.js";
import { RUN_TIME, literalWord } from "./ir.js";
import { BRANCHING, KEYWORDS, NEEDS_CONDITION, OWN_SCOPE, RUNS_CONDITION, goesOn } from "./powershell-keywords.js";
import { isDot, stageOf } from "./powershell-stages.js";
import type { Token, WordToken } from "./powershell-tokens.js";
import { startsExpression, stepped } from "./powershell-tokens.js";
import { knownVariable, slotName } from "./powershell-variables.js";

export { userFolders } from "./powershell-variables.js";

/**
 * A structure-aware reading of PowerShell: a tokenizer that knows its quoting (`'…'` verbatim with
 * `''`, `"…"` with backtick escapes, `$var` and `$(…)`, here-strings), parameters, `(…)`, `$(…)`,
 * `@(…)` and `{…}` script blocks (all parsed recursively), member calls such as
 * `.DownloadString(…)`, pipelines, `;`, `&&`, `||`, the call operator `&`, dot-sourcing,
 * assignments and redirections. Unclosed quotes or brackets are reported as unresolved.
 */
export function parsePowerShell(text: string, env: ExpandContext): Script {
  try {
    return assemble(new Lexer(text, env).tokens(), env);
  } catch (error) {
    if (error instanceof PsSyntaxError) return { units: [{ kind: "unresolved", detail: `the PowerShell command could not be parsed (${error.message})` }] };
    throw error;
  }
}

class PsSyntaxError extends Error {}

const STOP = new Set([" ", "\t", "\r", "\n", ";", "|", "&", "(", ")", "{", "}", "<", ">", ",", '"', "'"]);

class Lexer {
  private i = 0;
  /** Where the value of a `-Name:value` parameter starts. */
  private valueAt = -1;
  constructor(
    private readonly s: string,
    private readonly env: ExpandContext,
  ) {}

  tokens(): Token[] {
    const out: Token[] = [];
    const s = this.s;
    while (this.i < s.length) {
      const c = s[this.i] ?? "";
      const prev = out[out.length - 1];
      // The value of `-Name:value` starts a word of its own, as if a space came before it.
      const glued = this.i > 0 && !/\s/.test(s[this.i - 1] ?? " ") && this.i !== this.valueAt;
      if (c === " " || c === "\t" || c === "\r" || c === ",") this.i++;
      else if (c === "`" && s[this.i + 1] === "\n") this.i += 2;
      else if (s.startsWith("<#", this.i)) {
        const end = s.indexOf("#>", this.i + 2);
        if (end < 0) throw new PsSyntaxError("unclosed block comment");
        this.i = end + 2;
      } else if (c === "#") {
        while (this.i < s.length && s[this.i] !== "\n") this.i++;
      } else if (c === "\n" || c === ";") {
        out.push(c === "\n" ? { t: "sep", newline: true } : { t: "sep" });
        this.i++;
      } else if (s.startsWith("&&", this.i) || s.startsWith("||", this.i)) {
        // The statement after it runs only as the last one's status says.
        out.push({ t: "sep", conditional: true });
        this.i += 2;
      } else if (c === "|") {
        out.push({ t: "pipe" });
        this.i++;
      } else if (c === "&") {
        out.push({ t: "amp" });
        this.i++;
      } else if (c === ">" || c === "<" || (/[0-9*]/.test(c) && /^[0-9*]>/.test(s.slice(this.i, this.i + 2)))) {
        const m = /^([0-9*]?)(>>|>&[0-9]|>|<)/.exec(s.slice(this.i));
        const op = m?.[2] ?? ">";
        this.i += m?.[0].length ?? 1;
        out.push({ t: "redir", op, fdTarget: op.includes("&") });
      } else if (c === "=" && s[this.i + 1] !== "=") {
        out.push({ t: "assign" });
        this.i++;
      } else if (/[+\-*/%]/.test(c) && s[this.i + 1] === "=") {
        out.push({ t: "assign", compound: true });
        this.i += 2;
      } else if (c === "." && glued && prev?.t === "word" && /[A-Za-z_]/.test(s[this.i + 1] ?? "")) {
        this.i++;
        const name = this.readWhile(/[A-Za-z0-9_]/);
        out.push({ t: "word", kind: "member", word: { text: "." + name, dynamic: false, glob: false, subs: [], member: true } });
      } else if (c === ":" && s[this.i + 1] === ":" && prev?.t === "word") {
        this.i += 2;
        const name = this.readWhile(/[A-Za-z0-9_]/);
        out.push({ t: "word", kind: "member", word: { text: "::" + name, dynamic: false, glob: false, subs: [], member: true } });
      } else if (c === "(" || c === "{" || (c === "$" && s[this.i + 1] === "(") || (c === "@" && s[this.i + 1] === "(")) {
        if (c === "$" || c === "@") this.i++;
        const block = s[this.i] === "{";
        const inner = this.balanced(block ? "{" : "(", block ? "}" : ")");
        const script = parsePowerShell(inner, this.env);
        const word: Word = { text: RUN_TIME, dynamic: true, glob: false, subs: [script] };
        if (!block) word.runsHere = true;
        out.push({ t: "word", kind: block ? "block" : "group", word, inner });
      } else if (c === "[" && (!glued || (prev?.t === "word" && prev.kind === "type"))) {
        // `[void][IO.File]`: a cast before a type is a type too.
        const inner = this.balanced("[", "]");
        out.push({ t: "word", kind: "type", word: { text: `[${inner}]`, dynamic: false, glob: false, subs: [] } });
      } else if (c === "'" || (c === "@" && s[this.i + 1] === "'")) {
        out.push({ t: "word", kind: "string", word: this.verbatim() });
      } else if (c === '"' || (c === "@" && s[this.i + 1] === '"')) {
        out.push({ t: "word", kind: "string", word: this.expandable() });
      } else if (/^(\+\+|--)\$/.test(s.slice(this.i, this.i + 3)) && !glued && startsExpression(prev)) {
        // `++$i`, `--$i`: the variable is stepped.
        this.i += 2;
        out.push(...stepped(this.variable(), prev));
      } else if (c === "$" && /^\$[A-Za-z_][A-Za-z0-9_]*(\+\+|--)/.test(s.slice(this.i)) && startsExpression(prev)) {
        // `$i++`, `$i--` (a `for` loop's step): an expression, not a command named by `$i`.
        const v = this.variable();
        if (/^(\+\+|--)([\s;|)}]|$)/.test(s.slice(this.i))) {
          this.i += 2;
          out.push(...stepped(v, prev));
        } else out.push({ t: "word", kind: "var", word: v });
      } else if (c === "$") {
        const v = this.variable();
        const next = s[this.i] ?? " ";
        if (!STOP.has(next) && next !== "." && next !== "=") {
          const rest = this.bare();
          out.push({ t: "word", kind: "bare", word: { text: v.text + rest.text, dynamic: v.dynamic || rest.dynamic, glob: rest.glob, subs: rest.subs } });
        } else out.push({ t: "word", kind: "var", word: v });
      } else if (c === "-" && /[A-Za-z]/.test(s[this.i + 1] ?? "") && !glued) {
        this.i++;
        const name = this.readWhile(/[A-Za-z0-9_-]/);
        out.push({ t: "word", kind: "param", word: { text: "-" + name, dynamic: false, glob: false, subs: [], param: true } });
        if (s[this.i] === ":") this.valueAt = ++this.i;
      } else if (c === ")" || c === "}") {
        throw new PsSyntaxError(`unexpected ${c}`);
      } else {
        out.push({ t: "word", kind: "bare", word: this.bare() });
      }
    }
    return out;
  }

  private readWhile(re: RegExp): string {
    const start = this.i;
    while (this.i < this.s.length && re.test(this.s[this.i] ?? "")) this.i++;
    return this.s.slice(start, this.i);
  }

  /** From an opening bracket to its partner, honouring quotes and nesting; returns the inside. */
  private balanced(open: string, close: string): string {
    const s = this.s;
    const start = this.i;
    let depth = 0;
    let j = start;
    for (; j < s.length; j++) {
      const c = s[j];
      if (c === "`") j++;
      else if (c === "'") {
        j++;
        while (j < s.length && s[j] !== "'") j++;
      } else if (c === '"') {
        j++;
        while (j < s.length && s[j] !== '"') j += s[j] === "`" ? 2 : 1;
      } else if (c === open) depth++;
      else if (c === close && --depth === 0) break;
    }
    if (j >= s.length) throw new PsSyntaxError(`unclosed ${open}`);
    this.i = j + 1;
    return s.slice(start + 1, j);
  }

  private verbatim(): Word {
    const s = this.s;
    if (s[this.i] === "@") {
      const end = s.indexOf("\n'@", this.i + 2);
      if (end < 0) throw new PsSyntaxError("unclosed here-string");
      const text = s.slice(s.indexOf("\n", this.i) + 1, end);
      this.i = end + 3;
      return { text, dynamic: false, glob: false, subs: [] };
    }
    this.i++;
    let text = "";
    while (true) {
      const c = s[this.i];
      if (c === undefined) throw new PsSyntaxError("unclosed single quote");
      this.i++;
      if (c === "'") {
        if (s[this.i] === "'") {
          text += "'";
          this.i++;
          continue;
        }
        break;
      }
      text += c;
    }
    return { text, dynamic: false, glob: false, subs: [] };
  }

  private expandable(): Word {
    const s = this.s;
    const here = s[this.i] === "@";
    let end: number;
    if (here) {
      end = s.indexOf('\n"@', this.i + 2);
      if (end < 0) throw new PsSyntaxError("unclosed here-string");
      this.i = s.indexOf("\n", this.i) + 1;
    } else {
      this.i++;
      end = -1;
    }
    let text = "";
    let dynamic = false;
    const subs: Script[] = [];
    const vars: (string | null)[] = [];
    while (true) {
      if (here && this.i >= end) {
        this.i = end + 3;
        break;
      }
      const c = s[this.i];
      if (c === undefined) throw new PsSyntaxError("unclosed double quote");
      if (!here && c === '"') {
        if (s[this.i + 1] === '"') {
          text += '"';
          this.i += 2;
          continue;
        }
        this.i++;
        break;
      }
      if (c === "`") {
        const d = s[this.i + 1] ?? "";
        text += ({ n: "\n", t: "\t", r: "\r", "0": "\0" } as Record<string, string>)[d] ?? d;
        this.i += 2;
      } else if (c === "$" && s[this.i + 1] === "(") {
        this.i++;
        subs.push(parsePowerShell(this.balanced("(", ")"), this.env));
        text += RUN_TIME;
        dynamic = true;
        vars.push(null);
      } else if (c === "$" && /[A-Za-z_{]/.test(s[this.i + 1] ?? "")) {
        const v = this.variable();
        text += v.text;
        dynamic ||= v.dynamic;
        if (v.dynamic) vars.push(slotName(v));
      } else {
        text += c;
        this.i++;
      }
    }
    const named = vars.some((v) => v !== null) ? { vars } : {};
    return subs.length > 0 ? { text, dynamic, glob: false, subs, runsHere: true, ...named } : { text, dynamic, glob: false, subs, ...named };
  }

  private variable(): Word {
    this.i++;
    let name: string;
    if (this.s[this.i] === "{") name = this.balanced("{", "}");
    else name = this.readWhile(/[A-Za-z0-9_:?^$]/);
    if (name.endsWith(":")) {
      name = name.slice(0, -1);
      this.i--;
    }
    const value = knownVariable(name, this.env);
    // `$env:NAME` is named with its drive (`env:name`), as an assignment to it is: a secret's is followed to where it is sent.
    const plain = /^(env:)?[A-Za-z_][A-Za-z0-9_]*$/i.test(name) ? name.toLowerCase() : null;
    return value === undefined ? { text: RUN_TIME, dynamic: true, glob: false, subs: [], vars: [plain], bare: true } : { text: value, dynamic: false, glob: false, subs: [] };
  }

  private bare(): Word {
    const s = this.s;
    const start = this.i;
    let text = "";
    let glob = false;
    let dynamic = false;
    const subs: Script[] = [];
    const vars: (string | null)[] = [];
    while (this.i < s.length) {
      const c = s[this.i] ?? "";
      if (STOP.has(c) && !(c === "&" && this.i === start)) break;
      if (c === "`") {
        text += s[this.i + 1] ?? "";
        this.i += 2;
      } else if (c === "$" && this.i > start) {
        const v = this.variable();
        text += v.text;
        dynamic ||= v.dynamic;
        subs.push(...v.subs);
        if (v.dynamic) vars.push(slotName(v));
      } else if (c === "~" && this.i === start && (STOP.has(s[this.i + 1] ?? " ") || s[this.i + 1] === "/" || s[this.i + 1] === "\\")) {
        // Only `~` alone or before a separator is home: `~bob` is a file of that name.
        text += this.env.home;
        this.i++;
      } else {
        if (c === "*" || c === "?") glob = true;
        text += c;
        this.i++;
      }
    }
    return vars.some((v) => v !== null) ? { text, dynamic, glob, subs, vars } : { text, dynamic, glob, subs };
  }
}

function assemble(tokens: Token[], env: ExpandContext): Script {
  const units: Unit[] = [];
  let statement: Token[] = [];
  let conditional = false;
  const flush = (): void => {
    if (statement.length > 0 && conditional) {
      units.push({ kind: "maybe", edge: "start" });
      statementUnits(statement, units, env);
      units.push({ kind: "maybe", edge: "end" });
    } else if (statement.length > 0) statementUnits(statement, units, env);
    if (statement.length > 0) conditional = false;
    statement = [];
  };
  tokens.forEach((tok, i) => {
    if (tok.t !== "sep") statement.push(tok);
    else if (!(tok.newline && goesOn(statement, tokens, i))) {
      flush();
      if (tok.conditional) conditional = true;
    }
  });
  flush();
  return { units };
}

function statementUnits(tokens: Token[], units: Unit[], env: ExpandContext): void {
  const first = tokens[0];
  if (first?.t === "word" && first.kind === "bare") {
    const kw = first.word.text.toLowerCase();
    if (kw === "function" || kw === "filter") {
      const name = tokens[1]?.t === "word" ? tokens[1].word.text : "";
      const body = tokens.find((t): t is WordToken => t.t === "word" && t.kind === "block");
      units.push({ kind: "function", name, body: body?.word.subs[0] ?? { units: [] } });
      return;
    }
    if (kw === "foreach" && foreachStatement(tokens, units, env)) return;
    // `for /r C:\ %f in (*) do …` (cmd.exe's loop) is a parse error: PowerShell runs none of the line.
    if (NEEDS_CONDITION.has(kw) && !(tokens[1]?.t === "word" && tokens[1].kind === "group")) {
      units.push({ kind: "unresolved", detail: `PowerShell cannot parse this ${kw}: it needs (…) after it` });
      return;
    }
    if (KEYWORDS.has(kw)) {
      // Conditions in (…) and bodies in {…} are code; `else`, `catch` and the like may follow a block.
      // A block of a statement that branches or loops may not run, each on its own (one branch runs, not all).
      const words = tokens.filter((t): t is WordToken => t.t === "word");
      if (!BRANCHING.has(kw)) {
        units.push({ kind: "expand", words: words.map((t) => t.word) });
        return;
      }
      words.forEach((t, i) => {
        const after = words[i - 1]?.word.text.toLowerCase();
        const condition = t.kind === "group" ? t.word.subs[0] : undefined;
        // A condition runs in the line's own scope: `if ($x = '/')` assigns x whichever branch runs.
        if (condition && after !== undefined && RUNS_CONDITION.has(after)) units.push(...condition.units);
        else if (condition && (after === "elseif" || after === "for")) units.push(...mayRun(condition));
        else if (t.kind !== "block") units.push({ kind: "expand", words: [t.word] });
        else if (OWN_SCOPE.has(kw)) units.push({ kind: "maybe", edge: "start" }, { kind: "expand", words: [t.word] }, { kind: "maybe", edge: "end" });
        else if (kw === "switch") units.push(...switchClauses(t, env));
        else units.push(...mayRun(t.word.subs[0]));
      });
      return;
    }
  }
  const assign = tokens.findIndex((t) => t.t === "assign");
  if (assign > 0 && tokens.slice(0, assign).every((t) => t.t === "word" && (t.kind === "var" || t.kind === "member" || t.kind === "type"))) {
    const targets = tokens.slice(0, assign).map((t) => (t as WordToken).word);
    units.push({ kind: "expand", words: targets });
    const produced: Unit[] = [];
    statementUnits(tokens.slice(assign + 1), produced, env);
    units.push(...produced);
    // `$c = 'Remove-Item …'`: a later `iex $c` or `& $c` sees the value.
    const name = targets.length === 1 ? targets[0]?.vars?.[0] : undefined;
    const rest = tokens.slice(assign + 1);
    const only = rest.length === 1 && rest[0]?.t === "word" ? rest[0].word : undefined;
    // `$d += 'x'` builds on what `$d` held: a value only known at run time, whose source uses `$d` (a secret it held stays in it).
    const compound = tokens[assign]?.t === "assign" && tokens[assign].compound === true;
    if (name && compound) units.push({ kind: "assign", name, source: { units: [{ kind: "expand", words: targets }, ...produced] } });
    else if (name) units.push(only && !only.dynamic && only.subs.length === 0 ? { kind: "assign", name, value: only } : { kind: "assign", name, source: { units: produced } });
    return;
  }
  // `. { … }` runs the block once, in the line's own scope.
  const [dot, dotted] = tokens;
  if (tokens.length === 2 && dot?.t === "word" && dot.kind === "bare" && dot.word.text === "." && dotted?.t === "word" && dotted.kind === "block" && dotted.word.subs[0]) {
    units.push(...dotted.word.subs[0].units);
    return;
  }
  if (foreachObject(tokens, units, env)) return;
  const stages: Cmd[] = [];
  let current: Token[] = [];
  for (const tok of tokens) {
    if (tok.t === "pipe") {
      stages.push(stageOf(current, units));
      current = [];
    } else current.push(tok);
  }
  stages.push(stageOf(current, units));
  units.push({ kind: "pipeline", stages });
  units.push(...callerScopeBlocks(tokens, env));
  units.push(...itemsRemovedInBlocks(stages));
}

const REMOVE_ITEM_NAMES: ReadonlySet<string> = new Set(["remove-item", "ri", "rm", "del", "erase", "rd", "rmdir"]);

/** Whether a word is the pipeline's current item (`$_`, `$PSItem`) alone. */
function isCurrentItem(w: Word): boolean {
  return w.text === RUN_TIME && w.vars?.length === 1 && ["_", "psitem"].includes((w.vars[0] ?? "").toLowerCase());
}

/**
 * `Get-ChildItem ~ -Recurse | ForEach-Object { Remove-Item $_ }` (or `{ $_.Delete() }`) removes each
 * item the stages before it give, as `Get-ChildItem ~ -Recurse | Remove-Item` does: read that way too.
 */
function itemsRemovedInBlocks(stages: readonly Cmd[]): Unit[] {
  const out: Unit[] = [];
  stages.forEach((stage, i) => {
    const name = stage.argv[0];
    if (i === 0 || !name || name.dynamic || !["foreach-object", "foreach", "%"].includes(name.text.toLowerCase())) return;
    for (const block of stage.argv.slice(1).flatMap((w) => w.subs)) {
      for (const unit of block.units) {
        const removal = unit.kind === "pipeline" && unit.stages.length === 1 ? unit.stages[0] : undefined;
        const cmdlet = removal?.argv[0];
        if (!removal || !cmdlet || cmdlet.dynamic || !REMOVE_ITEM_NAMES.has(cmdlet.text.toLowerCase()) || !removal.argv.some(isCurrentItem)) continue;
        const own = removal.argv.filter((w) => !isCurrentItem(w));
        out.push({ kind: "pipeline", stages: [...stages.slice(0, i), { kind: "cmd", argv: own, redirects: [] }] });
      }
    }
  });
  return out;
}

/** Cmdlets whose script blocks run in the caller's scope, once per object (perhaps never). */
const CALLER_SCOPE_CMDLETS = new Set(["foreach-object", "foreach", "%", "where-object", "where", "?"]);

/**
 * The intrinsic methods whose script block runs in the current scope, once per element (perhaps
 * never): `$l.ForEach({ … })`, `$l.Where{ … }` (PowerShell's EnumerableOps.ForEach and Where).
 */
const CALLER_SCOPE_METHODS = new Set([".foreach", ".where"]);

/** The script block a `.ForEach` or `.Where` at `tokens[at]` is called with: `{ … }` or `({ … }, …)`. */
function methodBlock(tokens: readonly Token[], at: number, env: ExpandContext): Script | undefined {
  const next = tokens[at + 1];
  if (next?.t !== "word") return undefined;
  if (next.kind === "block") return next.word.subs[0];
  const [first] = innerTokens(next, env) ?? [];
  return first?.t === "word" && first.kind === "block" ? first.word.subs[0] : undefined;
}

/**
 * `Get-ChildItem | ForEach-Object { $x = '/' }`, `$l.ForEach({ $x = '/' })`: the blocks of
 * ForEach-Object, Where-Object and the ForEach() and Where() methods run in the caller's scope,
 * once per object and perhaps never, so what they assign or where they move may hold after the
 * pipeline; a dot-sourced stage (`. { $x = '/' } | Out-Null`) runs its block there once.
 */
function callerScopeBlocks(tokens: readonly Token[], env: ExpandContext): Unit[] {
  const units: Unit[] = [];
  const loopVariables = ["_", "psitem"].map((name): Unit => ({ kind: "assign", name, loop: true }));
  let stageStart = true;
  let callerScope = false;
  tokens.forEach((t, i) => {
    if (t.t === "pipe") {
      stageStart = true;
      callerScope = false;
      return;
    }
    const method = t.t === "word" && t.kind === "member" && CALLER_SCOPE_METHODS.has(t.word.text.toLowerCase()) ? methodBlock(tokens, i, env) : undefined;
    if (method) units.push({ kind: "maybe", edge: "start" }, ...loopVariables, ...method.units, { kind: "maybe", edge: "end" });
    const dotted = stageStart && isDot(t) ? tokens[i + 1] : undefined;
    if (dotted?.t === "word" && dotted.kind === "block" && dotted.word.subs[0] && tokens[i + 2]?.t !== "word") units.push(...dotted.word.subs[0].units);
    if (stageStart && t.t === "word") callerScope = t.kind === "bare" && CALLER_SCOPE_CMDLETS.has(t.word.text.toLowerCase());
    else if (callerScope && t.t === "word" && t.kind === "block" && t.word.subs[0]) {
      units.push({ kind: "maybe", edge: "start" }, ...loopVariables, ...t.word.subs[0].units, { kind: "maybe", edge: "end" });
    }
    if (t.t !== "amp") stageStart = false;
  });
  return units;
}

/**
 * The statements of a block that may not run, in the line's own scope (`if (…) { $x = '/' }`): what
 * they assign or where they move holds after the block, or what held before it.
 */
function mayRun(body: Script | undefined): Unit[] {
  return [{ kind: "maybe", edge: "start" }, ...(body?.units ?? []), { kind: "maybe", edge: "end" }];
}

/** `switch (…) { 'a' { … } default { … } }`: each clause's block may run or not, on its own. */
function switchClauses(block: WordToken, env: ExpandContext): Unit[] {
  let tokens: Token[];
  try {
    tokens = new Lexer(block.inner ?? "", env).tokens();
  } catch {
    return [{ kind: "expand", words: [block.word] }];
  }
  return tokens.flatMap((t): Unit[] => (t.t !== "word" ? [] : t.kind === "block" ? mayRun(t.word.subs[0]) : [{ kind: "expand", words: [t.word] }]));
}

/** More values than this in a loop's list leave the loop variable unknown (as in bash and fish). */
const MAX_LOOP_VALUES = 16;

/** The tokens inside `(…)` or `@(…)`, or undefined when they cannot be read. */
function innerTokens(token: Token | undefined, env: ExpandContext): Token[] | undefined {
  if (token?.t !== "word" || token.kind !== "group" || token.inner === undefined) return undefined;
  try {
    return new Lexer(token.inner, env).tokens();
  } catch {
    return undefined;
  }
}

/**
 * The values of a literal list (`"~","C:\"`, `1, 2`, `@("~", "/")`): strings and numbers only, at
 * most {@link MAX_LOOP_VALUES}.
 */
function literalList(tokens: readonly Token[], env: ExpandContext): Word[] | undefined {
  const grouped = tokens.length === 1 ? innerTokens(tokens[0], env) : undefined;
  if (grouped) return literalList(grouped, env);
  if (tokens.length === 0 || tokens.length > MAX_LOOP_VALUES) return undefined;
  const values: Word[] = [];
  for (const t of tokens) {
    if (t.t !== "word" || t.word.dynamic || t.word.subs.length > 0) return undefined;
    if (t.kind !== "string" && !(t.kind === "bare" && /^\d+$/.test(t.word.text))) return undefined;
    values.push(literalWord(t.word.text));
  }
  return values;
}

/** A loop inside a body: copies of copies would grow without bound, so a loop around it is read once. */
function hasLoop(script: Script): boolean {
  const inWords = (words: readonly Word[]): boolean => words.some((w) => w.subs.some(hasLoop));
  return script.units.some((u) => {
    if (u.kind === "assign") return u.loop === true;
    if (u.kind === "expand") return inWords(u.words);
    if (u.kind === "pipeline") return u.stages.some((c) => inWords(c.argv));
    return u.kind === "function" && hasLoop(u.body);
  });
}

/** The body once per value, each time with the loop variables (`$d`; `$_` and `$PSItem`) set to it. */
function loopUnits(names: readonly string[], values: readonly Word[], body: Script): Unit[] {
  return values.flatMap((value): Unit[] => [...names.map((name): Unit => ({ kind: "assign", name, value, loop: true })), ...body.units]);
}

/**
 * `foreach ($d in "~","C:\") { Remove-Item -Recurse $d }` runs its body once per value, so the
 * body is read once per value with `$d` set. A list with a value only known at run time, a range,
 * more than 16 values or a loop inside the body leaves `$d` unknown (returns false when the
 * statement is not such a loop).
 */
function foreachStatement(tokens: Token[], units: Unit[], env: ExpandContext): boolean {
  const [, head, block] = tokens;
  if (tokens.length !== 3 || head?.t !== "word" || head.kind !== "group" || head.inner === undefined || block?.t !== "word" || block.kind !== "block") return false;
  const body = block.word.subs[0];
  const [variable, keyword, ...list] = innerTokens(head, env) ?? [];
  const name = variable?.t === "word" && variable.kind === "var" ? variable.word.vars?.[0] : undefined;
  if (!body || !name || keyword?.t !== "word" || keyword.word.text.toLowerCase() !== "in") return false;
  const values = hasLoop(body) ? undefined : literalList(list, env);
  if (values) units.push(...loopUnits([name], values, body));
  else units.push({ kind: "assign", name, loop: true }, { kind: "expand", words: [head.word] }, ...mayRun(body));
  return true;
}

/** `"~","C:\" | ForEach-Object { Remove-Item -Recurse $_ }`: a literal list piped to a script block is that loop. */
function foreachObject(tokens: Token[], units: Unit[], env: ExpandContext): boolean {
  const pipe = tokens.findIndex((t) => t.t === "pipe");
  const [command, block, ...rest] = tokens.slice(pipe + 1);
  if (pipe <= 0 || rest.length > 0 || command?.t !== "word" || command.kind !== "bare" || block?.t !== "word" || block.kind !== "block") return false;
  if (!["foreach-object", "foreach", "%"].includes(command.word.text.toLowerCase())) return false;
  const body = block.word.subs[0];
  const values = literalList(tokens.slice(0, pipe), env);
  if (!body || !values || hasLoop(body)) return false;
  units.push(...loopUnits(["_", "psitem"], values, body));
  return true;
}

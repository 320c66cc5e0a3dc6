import { Parser, type Node } from "web-tree-sitter";
import { loadBashLanguage } from "./bash-grammar.js";
import type { Cmd, Param, ParamDefault, ParamEdit, Redirect, Script, Unit, Word } from "./ir.js";
import type { ExpandContext } from "./expand-context.js";
import { RUN_TIME, feedInput, fedPipeline, literalWord, pipedInto, readsStdin, single } from "./ir.js";
import { declarationOf, leadingOptions, listsEnvironment } from "./declaration-options.js";
import { applyEdit, editOf } from "./parameter-edits.js";
import { expandTilde } from "./paths.js";
import { outputsOf, paramsOf, slotsOf } from "./variables.js";
import { CD_COMMANDS, DIR_MOVERS, RUNS_NEXT } from "./workdir.js";
import { alwaysRuns, inDoubleQuotes, isStatement, mayNotRun, named, setsHome } from "./bash-nodes.js";
import { zshShortForms } from "./zsh-forms.js";
import { blankCoprocs, hasSyntaxError, isHereStringHalf, isReadWriteHalf, joinContinuations } from "./bash-grammar-gaps.js";
import { afterCompound, redirectOf, withRedirects, type Redirections } from "./bash-redirects.js";
import { knownVariable, prefixedDeclaration, refer } from "./bash-references.js";
import { decodeAnsiC, gap, unescapeDouble, unescapeUnquoted } from "./bash-escapes.js";
import { assignmentTildes, homeTilde, tildeExpands } from "./bash-tildes.js";
import { braceWords } from "./bash-braces.js";

export type { ExpandContext } from "./expand-context.js";

/**
 * A parser for bash and its relatives. The grammar (WASM) is loaded once per process and shared:
 * it is immutable; each analyzer still owns its own `Parser`.
 */
export async function loadBashParser(): Promise<Parser> {
  const language = await loadBashLanguage();
  const parser = new Parser();
  parser.setLanguage(language);
  return parser;
}

/** Parses bash/zsh/sh text into wren's shell-neutral script form. */
export function parseBash(parser: Parser, text: string, context: ExpandContext): Script {
  // The parser notes in its own copy where the line sets HOME.
  const env: ExpandContext = { ...context, defaults: new Map(), references: new Map() };
  let tree = parser.parse(text);
  if (!tree) return { units: [{ kind: "unresolved", detail: "the command could not be parsed" }] };
  // Each rewrite is read off the tree of the text before it, and the result parsed again.
  const rewrites = [(t: string, root: Node) => (t.includes("\\\n") ? joinContinuations(t, root) : t), (t: string, root: Node) => (t.includes("coproc") ? blankCoprocs(t, root) : t)];
  // zsh's own forms the grammar cannot read are read as the bash that does the same; the error is still reported.
  const zshError = env.shell === "zsh" && hasSyntaxError(tree.rootNode);
  if (zshError) rewrites.push((t: string) => zshShortForms(t));
  let current = text;
  for (const rewrite of rewrites) {
    const next = rewrite(current, tree.rootNode);
    if (next === current) continue;
    current = next;
    tree.delete();
    tree = parser.parse(current);
    if (!tree) return { units: [{ kind: "unresolved", detail: "the command could not be parsed" }] };
  }
  try {
    const units: Unit[] = [];
    if (zshError || hasSyntaxError(tree.rootNode)) units.push({ kind: "unresolved", detail: "the command has a syntax error, so wren cannot tell what would run" });
    walk(tree.rootNode, units, env);
    return { units };
  } finally {
    tree.delete();
  }
}

function walk(node: Node, units: Unit[], env: ExpandContext): void {
  if (node.type === "for_statement" && loopOverList(node, units, env)) return;
  switch (node.type) {
    case "declaration_command":
      declarationCommand(node, units, env);
      return;
    case "command":
      units.push(single(commandOf(node, [], env)));
      return;
    case "command_name":
      // Only met alone where the grammar gave up (`{rm,-rf,~}` is an ERROR to it): bash runs the words it expands to.
      units.push(single(commandOf(node, [], env)));
      return;
    case "redirected_statement":
      redirected(node, units, env);
      return;
    case "pipeline":
      units.push({ kind: "pipeline", stages: stagesOf(node, units, env) });
      return;
    case "function_definition": {
      const name = node.childForFieldName("name")?.text ?? "";
      const b = node.childForFieldName("body");
      // `f() { bash; } <<< text`, `f() { echo …; } > x.sh`: the redirections after the body apply to it at each call.
      const r = redirectsOf(node, env);
      const body = b ? fedCompound(b, r, env) : [];
      const out = r.redirects.filter((x) => !readsStdin(x));
      if (out.length > 0) body.push(single({ kind: "cmd", argv: [], redirects: out, body: { units: [...body] }, definition: true }));
      units.push({ kind: "function", name, body: { units: body } });
      return;
    }
    case "subshell":
      units.push({ kind: "scope", edge: "start" });
      for (const c of named(node)) walk(c, units, env);
      units.push({ kind: "scope", edge: "end" });
      return;
    case "variable_assignment":
    case "variable_assignments":
    case "unset_command":
    case "test_command":
    case "for_statement":
    case "c_style_for_statement":
    case "case_statement":
    case "case_item":
    case "if_statement":
    case "elif_clause":
    case "while_statement": {
      const words: Word[] = [];
      assignmentsOf(node, units, env);
      if (setsHome(node)) env.homeAssigned = true;
      // `PWD=/; rm -rf $PWD`: from there on `$PWD` and `~+` are the variable, which the evaluator holds.
      if (node.type === "variable_assignment" && node.childForFieldName("name")?.text === "PWD") env.cwdChanged = true;
      // A value given for certain replaces one `${NAME:=word}` may have given.
      if (node.type === "variable_assignment" && alwaysRuns(node)) env.defaults?.delete(node.childForFieldName("name")?.text ?? "");
      if (node.type === "unset_command" && named(node).some((c) => c.text === "HOME")) env.homeAssigned = false;
      for (const c of named(node)) {
        if (isStatement(c)) walkMaybe(c, mayNotRun(node, c), units, env);
        else collectWords(c, words, env);
      }
      if (words.length > 0) units.push({ kind: "expand", words });
      return;
    }
    case "list": {
      // `a && b`, `a || b`: only the first command runs for certain.
      const [first, ...rest] = named(node);
      if (first) walk(first, units, env);
      for (const c of rest) walkMaybe(c, true, units, env);
      return;
    }
    case "comment":
      return;
    case "program": {
      let end = -1;
      for (const c of named(node)) {
        if (end >= 0 && c.startPosition.row > end) units.push({ kind: "line" });
        end = c.endPosition.row;
        walk(c, units, env);
      }
      return;
    }
    default:
      for (const c of named(node)) walk(c, units, env);
  }
}

/** Walks a statement that may not run between `maybe` marks, so the line is judged with and without what it does. */
function walkMaybe(node: Node, maybe: boolean, units: Unit[], env: ExpandContext): void {
  if (!maybe) {
    walk(node, units, env);
    return;
  }
  units.push({ kind: "maybe", edge: "start" });
  walk(node, units, env);
  units.push({ kind: "maybe", edge: "end" });
}

/** More values than this in a loop's list leave the loop variable unknown. */
const MAX_LOOP_VALUES = 16;

/**
 * `for d in ~ /; do rm -rf $d; done`: a loop over a list of literal words runs its body once per
 * value, so the body is read once per value with the variable set to it. Returns false (read it
 * the general way, the variable unknown) when a value is only known at run time or the list is long.
 */
function loopOverList(node: Node, units: Unit[], env: ExpandContext): boolean {
  const name = node.childForFieldName("variable");
  const body = node.childForFieldName("body");
  const values = node.childrenForFieldName("value").map((c) => wordOf(c, env));
  if (!name || !body || values.length === 0 || values.length > MAX_LOOP_VALUES) return false;
  // Copies of copies would grow without bound: an outer loop around another loop is read once.
  if (body.descendantsOfType("for_statement").length > 0) return false;
  // A pattern stands for files wren cannot list: such a loop keeps its variable unknown.
  if (values.some((w) => w.dynamic || w.subs.length > 0 || w.glob)) return false;
  for (const value of values) {
    units.push({ kind: "assign", name: name.text, value: literalWord(value.text) });
    walk(body, units, env);
  }
  return true;
}

/**
 * `export x=/ y`, `declare -x x=/`, `local -i n=1`, `declare -p x`: what a declaration assigns, read
 * with its options as {@link declarationOf} reads them (the evaluator reads `builtin declare …` the
 * same way). Exported variables reach an `sh -c` script; an attribute that changes what is stored
 * leaves the value unknown; `declare -p` and `export -f` change no variable.
 */
function declarationCommand(node: Node, units: Unit[], env: ExpandContext): void {
  const keyword = node.child(0)?.text ?? "";
  const children = named(node);
  const { options } = leadingOptions(keyword, children.map((c) => ({ text: c.text, dynamic: c.type !== "word" })), env.shell);
  const { none, exported, transformed, reference } = declarationOf(keyword, options, env.shell);
  const start = units.length;
  const words: Word[] = [];
  // What reading the assignments noted of HOME and `${NAME:=word}` does not hold where nothing is assigned.
  const noted = { homeAssigned: env.homeAssigned, defaults: new Map(env.defaults) };
  for (const c of children) {
    if (c.type === "variable_name" && exported) units.push({ kind: "assign", name: c.text, exported: true, exportOnly: true });
    else if (isStatement(c)) walk(c, units, env);
    else collectWords(c, words, env);
  }
  dynamicNames(node, units);
  const own = units.splice(start);
  for (const u of own) {
    if (u.kind !== "assign") units.push(u);
    else if (!none) {
      if (exported) u.exported = true;
      if (transformed && !u.exportOnly && !u.anyName) delete u.value;
      units.push(u);
    }
  }
  if (none) {
    env.homeAssigned = noted.homeAssigned;
    for (const [name, param] of noted.defaults) if (!env.defaults?.has(name)) env.defaults?.set(name, param);
  } else if (reference) {
    references(node, children, env);
  }
  if (words.length > 0) units.push({ kind: "expand", words });
}

/**
 * `declare -n x=HOME`: x names the variable HOME, so `$x` is HOME's value. Where the declaration
 * always runs, later reads of x read HOME; where it may not (a condition, a function, a subshell),
 * `$x` is judged both as x's own value and as HOME's, as `${x:-$HOME}` is. A value that is not a
 * plain name leaves x unknown.
 */
function references(node: Node, children: Node[], env: ExpandContext): void {
  for (const c of children) {
    if (c.type !== "variable_assignment") continue;
    // `declare -n x="HOME"` names HOME as `declare -n x=HOME` does: the value once quotes are removed.
    const value = c.childForFieldName("value");
    const text = value && value.type !== "array" ? wordOf(value, env) : undefined;
    refer(c.childForFieldName("name")?.text ?? "", text && !text.dynamic ? text.text : undefined, alwaysRuns(node), env);
  }
}

/** Records what `NAME=value` (also inside export/local/declare) and `for NAME in …` set, for later words of the line. */
function assignmentsOf(node: Node, units: Unit[], env: ExpandContext): void {
  if (node.type === "variable_assignment") {
    const name = node.childForFieldName("name");
    const value = node.childForFieldName("value");
    // `a+=x` and `a[i]=x` change a value wren does not track: the name becomes unknown.
    const appends = node.children.some((c) => c?.type === "+=");
    if (name?.type !== "variable_name") return;
    // Through a reference (`declare -n x=HOME; x=/tmp/y`) the value goes to the variable it names: left unknown.
    const target = env.references?.get(name.text);
    if (target !== undefined) {
      units.push({ kind: "assign", name: target });
      if (target === "HOME" && alwaysRuns(node)) env.homeAssigned = true;
    }
    if (appends) units.push({ kind: "assign", name: name.text });
    else units.push({ kind: "assign", name: name.text, value: value ? valueOf(value, env) : { text: "", dynamic: false, glob: false, subs: [] } });
  } else if (node.type === "for_statement") {
    const name = node.childForFieldName("variable");
    if (name) units.push({ kind: "assign", name: name.text });
  } else if (node.type === "unset_command") {
    // `unset -f x` removes the function x, not the variable.
    const children = named(node);
    const { options } = leadingOptions("unset", children.map((c) => ({ text: c.text, dynamic: c.type !== "word" })));
    if (declarationOf("unset", options).none) return;
    // `unset x` of a reference unsets the variable it names.
    for (const c of children) if (c.type === "variable_name") units.push({ kind: "assign", name: env.references?.get(c.text) ?? c.text, unset: true });
    dynamicNames(node, units);
  }
}

/** `declare "$n=/"`, `unset "$n"`: an argument that is not a plain name, assignment or option may name any variable. */
function dynamicNames(node: Node, units: Unit[]): void {
  const plain = (c: Node): boolean => c.type === "variable_assignment" || c.type === "variable_name" || (c.type === "word" && /^[-+]/.test(c.text)) || (c.type === "word" && /^[A-Za-z_][A-Za-z0-9_]*$/.test(c.text));
  if (named(node).some((c) => !plain(c))) units.push({ kind: "assign", name: "", anyName: true });
}

/** An assigned value; an array (`x=(rm -rf /)`) is its elements joined by spaces, as `$x` runs them. */
function valueOf(node: Node, env: ExpandContext): Word {
  if (node.type !== "array") return wordOf(node, env);
  const parts = named(node).map((c) => wordOf(c, env));
  return { text: parts.map((w) => w.text).join(" "), dynamic: parts.some((w) => w.dynamic), glob: false, subs: parts.flatMap((w) => w.subs), vars: parts.flatMap(slotsOf), ...withParams(parts.flatMap(paramsOf)), ...withOutputs(parts.flatMap(outputsOf)) };
}

/** Words inside non-command syntax (assignment values, loop lists, tests): only substitutions matter. */
function collectWords(node: Node, out: Word[], env: ExpandContext): void {
  if (["command_substitution", "process_substitution", "string", "concatenation", "expansion", "simple_expansion"].includes(node.type)) {
    out.push(wordOf(node, env));
    return;
  }
  for (const c of named(node)) {
    if (isStatement(c)) continue;
    collectWords(c, out, env);
  }
}

/**
 * A pipeline's stages. What a stage that is not a plain command runs (`x=build | cat`,
 * `{ x=build; } | cat`) is read before the pipeline; each stage before the last runs in a subshell,
 * so what it assigns or where it cds is its own. The last stage does too, unless `shopt -s lastpipe`
 * runs it in the line's own shell: its scope is marked, for the line to be judged both ways.
 */
function stagesOf(node: Node, units: Unit[], env: ExpandContext): Cmd[] {
  const nodes = named(node);
  const stages: Cmd[] = [];
  nodes.forEach((c, i) => {
    const own: Unit[] = [];
    const stage = stageOf(c, own, env);
    const lastStage = i === nodes.length - 1 && nodes.length > 1;
    // `echo 'rm -rf ~' | { bash; }`: what the stages before it write is the commands' input inside.
    // Each such command is read once more after those stages, in a scope of its own, so that
    // where it cds or what it assigns stays as the stage leaves it (`echo | { cd /; }`).
    const before = [...stages];
    const fed = i === 0 ? own : pipedInto(own, before);
    if (own.length > 0) units.push({ kind: "scope", edge: "start" }, ...fed, lastStage ? { kind: "scope", edge: "end", lastStage } : { kind: "scope", edge: "end" });
    stages.push(stage);
  });
  return stages;
}

function stageOf(node: Node, units: Unit[], env: ExpandContext): Cmd {
  if (node.type === "command") return commandOf(node, [], env);
  if (node.type === "redirected_statement") {
    const body = node.childForFieldName("body");
    const redirects = redirectsOf(node, env);
    if (body?.type === "command") return withRedirects(redirectedCommand(body, node, env, redirects.redirects), redirects);
    const inner = body ? fedCompound(body, redirects, env) : [];
    units.push(...inner);
    return withRedirects({ kind: "cmd", argv: [], redirects: [], body: { units: inner } }, afterCompound(redirects, units));
  }
  // `{ curl …; } | bash`, `(…) | bash`: the stage is what the commands inside write.
  const inner: Unit[] = [];
  walk(node, inner, env);
  units.push(...inner);
  const stage: Cmd = { kind: "cmd", argv: [], redirects: [], body: { units: inner } };
  // `export -p | nc …`, `declare -x | …`: a declaration naming no variable lists them.
  if (node.type === "declaration_command" && named(node).every((c) => c.type === "word" && c.text.startsWith("-"))) {
    if (listsEnvironment(node.child(0)?.text ?? "", named(node).map((c) => c.text))) stage.listsEnvironment = true;
  }
  return stage;
}

function redirected(node: Node, units: Unit[], env: ExpandContext): void {
  const body = node.childForFieldName("body");
  const r = redirectsOf(node, env);
  if (body?.type === "command") {
    units.push(single(withRedirects(redirectedCommand(body, node, env, r.redirects), r)));
    return;
  }
  if (body?.type === "pipeline") {
    const stages = stagesOf(body, units, env);
    const last = stages[stages.length - 1];
    if (last) withRedirects(last, r);
    units.push({ kind: "pipeline", stages });
    return;
  }
  if (body?.type === "list") {
    // The grammar hangs `a && b < f` on the whole list; bash gives the redirection to `b` alone.
    walk(body, units, env);
    // The last command may be one that may not run, between `maybe` marks.
    const last = units.findLast((u) => u.kind !== "maybe");
    const stage = last?.kind === "pipeline" ? last.stages[last.stages.length - 1] : undefined;
    if (stage) withRedirects(stage, r);
    else units.push(single(withRedirects({ kind: "cmd", argv: [], redirects: [] }, afterCompound(r, units))));
    return;
  }
  const inner = body ? fedCompound(body, r, env) : [];
  units.push(...inner);
  units.push(single(withRedirects({ kind: "cmd", argv: [], redirects: [], body: { units: inner } }, afterCompound(r, units))));
}

/**
 * `{ bash; } <<< 'rm -rf ~'`, `( sh ) < x.sh`: the commands of a compound command read its standard
 * input. Each pipeline inside that reads none of its own is given it (only the first reader gets
 * the text, but which one that is depends on how much each reads).
 */
function fedCompound(body: Node, r: Redirections, env: ExpandContext): Unit[] {
  const units: Unit[] = [];
  walk(body, units, env);
  const from = r.redirects.filter(readsStdin);
  if (!r.stdin && from.length === 0) return units;
  return feedInput(units, (u) => fedPipeline(u, r.stdin, from));
}

function redirectsOf(node: Node, env: ExpandContext): Redirections {
  const redirects: Redirect[] = [];
  const args: Word[] = [];
  let stdin: Word | undefined;
  // `0<&5` after a target: the grammar reads the `0` as a word of the target before it.
  let fd: number | undefined;
  // After `fi` or `done` the grammar leaves a here-string out of the statement's `redirect` field.
  const fields = node.childrenForFieldName("redirect");
  const loose = named(node).filter((c) => c.type === "herestring_redirect" && !fields.some((f) => f?.id === c.id));
  for (const r of [...fields, ...loose]) {
    if (!r) continue;
    if (r.type === "file_redirect") {
      // The grammar takes every word up to the next operator as the target; bash, the first.
      const [dest, ...rest] = r.childrenForFieldName("destination").filter((c): c is Node => c !== null);
      const before = r.previousSibling;
      const hereString = (before && isHereStringHalf(before)) || r.children.some((c) => c !== null && isHereStringHalf(c));
      if (dest && hereString) stdin = { ...wordOf(dest, env), hereString: true };
      else if (dest) {
        const redirect = redirectOf(r, wordOf(dest, env));
        if (fd !== undefined && redirect.fd === undefined) redirect.fd = fd;
        redirects.push(redirect);
      }
      const last = rest[rest.length - 1];
      const next = r.nextSibling;
      fd = last?.type === "number" && next && last.endIndex === next.startIndex ? Number(last.text) : undefined;
      for (const c of fd === undefined ? rest : rest.slice(0, -1)) args.push(...(braceWords(c, env) ?? [wordOf(c, env)]));
    } else if (r.type === "herestring_redirect") {
      const value = named(r)[0];
      if (value) stdin = { ...wordOf(value, env), hereString: true };
    } else if (r.type === "heredoc_redirect") {
      const body = named(r).find((c) => c.type === "heredoc_body");
      const subs: Script[] = [];
      let dynamic = false;
      if (body) {
        for (const c of named(body)) {
          const w = wordOf(c, env);
          dynamic ||= w.dynamic;
          subs.push(...w.subs);
        }
      }
      stdin = { text: body?.text ?? "", dynamic, glob: false, subs };
      for (const c of named(r)) {
        if (c.type === "file_redirect") {
          const dest = c.childForFieldName("destination");
          if (dest) redirects.push(redirectOf(c, wordOf(dest, env)));
        }
      }
    }
  }
  return stdin ? { redirects, stdin, args } : { redirects, args };
}

/**
 * The command a redirected statement runs. The grammar reads `bash 0</dev/tcp/h/p` as the argument
 * `0` and then `< /dev/tcp/h/p`; bash reads `0<` as one redirection of standard input, so a number
 * written against the first redirection is its descriptor, not an argument.
 */
function redirectedCommand(body: Node, statement: Node, env: ExpandContext, redirects: readonly Redirect[]): Cmd {
  const cmd = commandOf(body, [], env);
  const last = body.lastNamedChild;
  const first = statement.childrenForFieldName("redirect")[0];
  // `bash 0<>F`: the grammar's `<` error stands between the number and the redirection.
  const gap = first?.previousSibling;
  const start = gap && isReadWriteHalf(gap) ? gap.startIndex : first?.startIndex;
  if (last?.type === "number" && first && last.endIndex === start) {
    cmd.argv.pop();
    const redirect = redirects[0];
    if (first.type === "file_redirect" && redirect && redirect.fd === undefined) redirect.fd = Number(last.text);
  }
  return cmd;
}

function commandOf(node: Node, extra: Redirect[], env: ExpandContext): Cmd {
  const argv: Word[] = [];
  const redirects: Redirect[] = [...extra];
  const assignmentSubs: Script[] = [];
  const assignments: Unit[] = [];
  let stdinText: Word | undefined;
  // One pass over the children (field lookups marshal every node again, and this is the hot path):
  // assignments and redirections may come first, then the name, then arguments and redirections.
  let previous: Node | undefined;
  for (const c of node.namedChildren) {
    if (!c) continue;
    const before = previous;
    previous = c;
    // The grammar reads `rm$IFS-rf$IFS/` as `rm$IFS-rf$` and `IFS/`; bash reads one word, `$IFS` in it.
    const last = argv[argv.length - 1];
    const name = /^[A-Za-z_][A-Za-z0-9_]*/.exec(c.text)?.[0];
    if (before && last && name && c.type === "word" && before.endIndex === c.startIndex && before.text.endsWith("$") && last.text.endsWith("$")) {
      argv[argv.length - 1] = { ...last, text: `${last.text.slice(0, -1)}${RUN_TIME}${c.text.slice(name.length)}`, dynamic: true, vars: [...slotsOf(last), name], ...withParams([...paramsOf(last), null]), ...withOutputs([...outputsOf(last), null]) };
      continue;
    }
    switch (c.type) {
      case "command_name": {
        // `r{m,} -rf ~` is `rm r -rf ~`: a brace list in the name is expanded as in any other word.
        const n = c.firstNamedChild ?? c;
        argv.unshift(...(braceWords(n, env) ?? [wordOf(n, env)]));
        // What eval or a sourced file does to HOME is not followed: from there on it is the user's home again.
        if (["eval", "source", "."].includes(c.text)) env.homeAssigned = false;
        // From a `cd` on (`builtin cd`, `eval 'cd /'` too), `$PWD` is the directory the evaluator tracks.
        if (DIR_MOVERS.has(c.text) && (!RUNS_NEXT.has(c.text) || CD_COMMANDS.has(c.nextNamedSibling?.text ?? ""))) env.cwdChanged = true;
        break;
      }
      case "file_redirect": {
        const dest = c.lastNamedChild;
        if (dest && dest.type !== "file_descriptor") redirects.push(redirectOf(c, wordOf(dest, env)));
        break;
      }
      case "herestring_redirect": {
        const v = c.firstNamedChild;
        if (v) stdinText = { ...wordOf(v, env), hereString: true };
        break;
      }
      case "variable_assignment": {
        const v = c.lastNamedChild;
        if (v && v.type !== "variable_name") assignmentSubs.push(...wordOf(v, env).subs);
        assignmentsOf(c, assignments, env);
        break;
      }
      case "comment":
        break;
      default:
        argv.push(...(braceWords(c, env) ?? [wordOf(c, env)]));
    }
  }
  // sh keeps a HOME given in front of eval afterwards (POSIX, for a special builtin): `HOME=/ eval
  // true; rm -rf ~` deletes /. Only where eval's text is written out, which the evaluator follows.
  if (env.shell === "sh" && keepsHome(argv, assignments) && alwaysRuns(node)) env.homeAssigned = true;
  if (env.shell === "zsh") dropZshPrecommands(argv);
  // Assignments before the command (`A=$(…) cmd`) still run their substitutions.
  const first = argv[0];
  if (first) first.subs.push(...assignmentSubs);
  else if (assignmentSubs.length > 0) argv.push({ text: "", dynamic: false, glob: false, subs: assignmentSubs });
  const cmd: Cmd = { kind: "cmd", argv, redirects };
  if (stdinText) cmd.stdinText = stdinText;
  if (node.nextSibling?.type === "&") cmd.background = true;
  const prefixEnv = assignments.filter((u) => u.kind === "assign");
  if (prefixEnv.length > 0) cmd.env = prefixEnv;
  prefixedDeclaration(node, argv, env);
  return cmd;
}

/** `HOME=/ eval 'text'`: eval given a HOME of known value and text written out in full. */
function keepsHome(argv: readonly Word[], assignments: readonly Unit[]): boolean {
  const [name, ...text] = argv;
  if (name?.dynamic !== false || name.text !== "eval" || text.some((w) => w.dynamic || w.subs.length > 0)) return false;
  return assignments.some((u) => u.kind === "assign" && u.name === "HOME" && u.value !== undefined && !u.value.dynamic && u.value.text !== "");
}

/** zsh's precommand modifiers that only run the command after them. */
const ZSH_PRECOMMANDS: ReadonlySet<string> = new Set(["-", "nocorrect", "noglob", "command", "builtin", "exec"]);

/**
 * zsh's `- cmd` (a login-style argv[0]) and `repeat N cmd` run cmd: they are taken off the front,
 * among the other precommand modifiers (`nocorrect - rm -rf ~`), which the rules read as wrappers.
 */
function dropZshPrecommands(argv: Word[]): void {
  if (argv[0]?.text === "repeat" && !argv[0].dynamic && argv.length > 2) argv.splice(0, 2);
  for (let i = 0; i < argv.length - 1; i++) {
    const w = argv[i];
    if (!w || w.dynamic || !ZSH_PRECOMMANDS.has(w.text)) break;
    if (w.text === "-") argv.splice(i--, 1);
  }
}

/** Evaluates a word node: quotes removed, known variables expanded, substitutions kept for analysis. */
export function wordOf(node: Node, env: ExpandContext): Word {
  switch (node.type) {
    case "word":
    case "number": {
      const assigned = assignmentTildes(node, env);
      if (assigned) return assigned;
      let text = unescapeUnquoted(node.text);
      const tilde = tildeExpands(node);
      const home = tilde ? homeTilde(text, env) : undefined;
      if (home) return home;
      if (tilde) {
        const expanded = expandTilde(text, env);
        if (expanded === null) return { text: RUN_TIME, dynamic: true, glob: false, subs: [] };
        if (expanded !== undefined) text = expanded;
      }
      const glob = /(^|[^\\])[*?[]/.test(node.text);
      // zsh's `=rm` is the program's path (EQUALS, on by default): `=rm -rf ~` runs rm.
      if (env.shell === "zsh" && /^=[A-Za-z_][\w.+-]*$/.test(node.text)) return { text: `/usr/bin/${node.text.slice(1)}`, dynamic: false, glob: false, subs: [] };
      return { text, dynamic: false, glob, subs: [] };
    }
    case "raw_string":
      return { text: node.text.slice(1, -1), dynamic: false, glob: false, subs: [] };
    case "ansi_c_string":
      return { text: decodeAnsiC(node.text.slice(2, -1)), dynamic: false, glob: false, subs: [] };
    case "string":
    case "translated_string":
    case "concatenation":
    case "heredoc_body":
      return joinParts(node, env);
    case "simple_expansion":
    case "expansion": {
      const varNode = named(node).find((c) => c.type === "variable_name" || (c.type === "special_variable_name" && (c.text === "@" || c.text === "*")));
      const param = paramOf(node, varNode, env);
      const edit = editOfNode(node, varNode);
      const only = named(node).length === 1 || ((param !== undefined || edit !== undefined) && varNode?.id === node.firstNamedChild?.id);
      // `declare -n x=HOME; rm -rf $x`: x is read as the variable it names.
      const varName = varNode && (env.references?.get(varNode.text) ?? varNode.text);
      const known = varName && only ? knownVariable(varName, env) : undefined;
      // `${HOME%/*}` is known where what bash makes of it is, and is one word as it stands.
      const edited = known !== undefined && edit ? applyEdit(edit, known) : undefined;
      if (edited !== undefined && !/[\s*?[]/.test(edited)) return { text: edited, dynamic: false, glob: false, subs: [] };
      // `${HOME:+word}` is the word, `${HOME:-word}` the home: HOME is set and not empty.
      if (known !== undefined && param && param.op !== "?" && param.op.endsWith("+")) return param.word;
      if (known !== undefined && !edit) return { text: known, dynamic: false, glob: false, subs: [] };
      const subs: Script[] = [];
      for (const c of named(node)) subs.push(...wordOf(c, env).subs);
      const plain =
        varNode && varName !== undefined && only && known === undefined && /^([A-Za-z_][A-Za-z0-9_]*|\d+|[@*])$/.test(varNode.text) && !node.text.startsWith("${#") && !node.text.startsWith("${!");
      const word: Word = { text: RUN_TIME, dynamic: true, glob: false, subs, vars: [plain ? varName : null], bare: true };
      if (plain && param && param.op !== "?") word.params = [{ op: param.op, word: param.word, ...(param.quoted ? { quoted: true } : {}) }];
      if (plain && varNode.nextSibling?.type === ":?") word.required = true;
      if (plain && param && (param.op === ":=" || param.op === "=")) env.defaults?.set(varName, { op: param.op === ":=" ? ":-" : "-", word: param.word });
      const assigned = plain && !param ? env.defaults?.get(varName) : undefined;
      // `: ${x:=/tmp}; rm -rf ${x%tmp}`: the edit is of x's value or /tmp.
      if (plain && edit) word.params = [assigned ? { ...edit, of: { text: RUN_TIME, dynamic: true, glob: false, subs: [], vars: [varName], params: [assigned] } } : edit];
      else if (assigned) word.params = [assigned];
      return word;
    }
    case "command_substitution":
    case "process_substitution": {
      const units: Unit[] = [];
      // `$(< F)`: the grammar hangs a lone redirection on the substitution itself; bash writes F's contents, as `$(cat F)`.
      if (node.childrenForFieldName("redirect").length > 0) redirected(node, units, env);
      else for (const c of named(node)) walk(c, units, env);
      const script: Script = { units };
      const word: Word = { text: RUN_TIME, dynamic: true, glob: false, subs: [script], bare: true };
      if (node.type === "process_substitution") word.processSub = true;
      else word.outputs = [script];
      return word;
    }
    case "arithmetic_expansion":
      // `$(( $(cmd) ))`, `$(( a[$(cmd)] ))`: the substitutions inside run before the sum is worked out.
      return { text: RUN_TIME, dynamic: true, glob: false, subs: nestedSubs(node, env) };
    default: {
      // `${x[$(cmd)]}`: a subscript's substitutions run when the word is expanded.
      const subs = nestedSubs(node, env);
      return subs.length > 0 ? { text: RUN_TIME, dynamic: true, glob: false, subs } : { text: node.text, dynamic: false, glob: false, subs };
    }
  }
}

/** The scripts of the command and process substitutions anywhere inside a node that wordOf does not take apart. */
function nestedSubs(node: Node, env: ExpandContext): Script[] {
  return named(node).flatMap((c) => (c.type === "command_substitution" || c.type === "process_substitution" ? wordOf(c, env).subs : nestedSubs(c, env)));
}

function joinParts(node: Node, env: ExpandContext): Word {
  const quoted = node.type === "string" || node.type === "translated_string";
  const start = node.startIndex + (node.type === "string" ? 1 : node.type === "translated_string" ? 2 : 0);
  const end = node.endIndex - (quoted ? 1 : 0);
  const source = node.text;
  const base = node.startIndex;
  let text = "";
  let dynamic = false;
  let glob = false;
  const subs: Script[] = [];
  const vars: (string | null)[] = [];
  const params: (Param | null)[] = [];
  const outputs: (Script | null)[] = [];
  let pos = start;
  // `$x$y`, `$x$(…)`: unquoted expansions alone, split as one is, and no word when all are empty.
  let bare = node.type === "concatenation";
  let required = false;
  for (const c of named(node)) {
    if (c.startIndex > pos) {
      text += gap(source.slice(pos - base, c.startIndex - base), quoted);
      bare = false;
    }
    bare &&= UNQUOTED_EXPANSIONS.has(c.type);
    if (c.type === "string_content") {
      text += unescapeDouble(c.text);
    } else {
      const w = wordOf(c, env);
      text += w.text;
      dynamic ||= w.dynamic;
      glob ||= w.glob && !quoted;
      subs.push(...w.subs);
      vars.push(...slotsOf(w));
      params.push(...paramsOf(w));
      outputs.push(...outputsOf(w));
      required ||= w.required === true;
    }
    pos = c.endIndex;
  }
  if (end > pos) text += gap(source.slice(pos - base, end - base), quoted);
  if (bare && end > pos) bare = false;
  // A quoted `$IFS` is not split: left unnamed, so that only unquoted ones are (`splitAtDefaultIfs`).
  if (quoted) vars.forEach((name, i) => name === "IFS" && (vars[i] = null));
  if (!dynamic) return { text, dynamic, glob, subs };
  return { text, dynamic, glob, subs, vars, ...withParams(params), ...withOutputs(outputs), ...(bare && text.replaceAll(RUN_TIME, "") === "" ? { bare, ...(required ? { required } : {}) } : {}) };
}

/** The parts of a word that are expansions whose value is split into words, and may be nothing. */
const UNQUOTED_EXPANSIONS: ReadonlySet<string> = new Set(["simple_expansion", "expansion", "command_substitution"]);

/** `outputs` for a word, left out when no value is a `$(…)`. */
function withOutputs(outputs: (Script | null)[]): { outputs?: (Script | null)[] } {
  return outputs.some((o) => o !== null) ? { outputs } : {};
}

/** `params` for a word, left out when no value has an operator. */
function withParams(params: (Param | null)[]): { params?: (Param | null)[] } {
  return params.some((p) => p !== null) ? { params } : {};
}

const PARAM_OPS = new Set([":-", "-", ":=", "=", ":+", "+"]);

/**
 * The operator of `${NAME:-word}` and its kin, with the word (empty when none is written), or `?`
 * for `${NAME:?message}` and `${NAME?message}`, which are NAME's value or stop the shell.
 */
function paramOf(node: Node, varNode: Node | undefined, env: ExpandContext): { op: ParamDefault["op"] | "?"; word: Word; quoted?: boolean } | undefined {
  if (node.type !== "expansion" || !varNode) return undefined;
  const op = varNode.nextSibling;
  if (!op || op.isNamed) return undefined;
  if (op.type === ":?" || op.type === "?") return { op: "?", word: literalWord("") };
  if (!PARAM_OPS.has(op.type)) return undefined;
  const after = named(node).filter((c) => c.startIndex >= op.endIndex);
  if (after.length > 1) return undefined;
  const only = after[0];
  // `"${x:-~}"`: inside double quotes bash leaves a `~` in the word as it is.
  const word = only?.type === "word" && only.text.startsWith("~") && inDoubleQuotes(node) ? literalWord(unescapeDouble(only.text)) : only ? wordOf(only, env) : literalWord("");
  const quoted = only !== undefined && [only, ...(only.type === "concatenation" ? named(only) : [])].some((n) => QUOTES.has(n.type));
  return { op: op.type as ParamDefault["op"], word, ...(quoted ? { quoted } : {}) };
}

/** Quoted parts of a word: bash keeps a word that holds one even when it expands to nothing. */
const QUOTES = new Set(["string", "raw_string", "ansi_c_string", "translated_string"]);

/**
 * `${NAME#pattern}`, `${NAME:offset:length}`, `${NAME/pattern/text}` and their kin, where wren can
 * read what bash makes of NAME's value (see `editOf`). Not of `$@`, `$*` or an array element.
 */
function editOfNode(node: Node, varNode: Node | undefined): ParamEdit | undefined {
  if (node.type !== "expansion" || varNode?.type !== "variable_name" || varNode.id !== node.firstNamedChild?.id) return undefined;
  // `${#x…}` and `${!x…}` are not x's value.
  if (varNode.startIndex !== node.startIndex + 2 || !node.text.endsWith("}")) return undefined;
  const op = varNode.nextSibling;
  if (!op || op.isNamed) return undefined;
  return editOf(op.type, node.text.slice(op.endIndex - node.startIndex, -1));
}

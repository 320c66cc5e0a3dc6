import type { Script, Word } from "./ir.js";

/** Builtins that set a variable named in their words (`read x`, `printf -v x`, `declare x=…`): with a name only known at run time, any. */
const SETTERS = new Set(["read", "mapfile", "readarray", "getopts", "declare", "typeset", "local", "export", "readonly", "let", "set", "vared"]);

/** Wrappers that run a builtin in the shell itself (`builtin read x`). */
const IN_SHELL = new Set(["builtin", "command"]);

/**
 * The names a line may give a value anywhere in it, in whatever order it runs (a loop runs a later
 * assignment before an earlier use): an assignment's name (`x=…`, `export x=…`, `for x in …`, `x=… cmd`),
 * `${x:=…}`, and every name written out in a word other than as a use (`read x`, `printf -v x`, the
 * text of `sh -c '…'` or `eval '…'`). Undefined where it may be any name: one only known at run time
 * (`declare "$n=…"`, `read "$n"`, `eval "$s"`), a file it sources (`. .env`), a part wren could not read.
 */
export function namesAssigned(script: Script, names = new Set<string>(), seen = new Set<Script>()): Set<string> | undefined {
  if (seen.has(script)) return names;
  seen.add(script);
  const word = (w: Word | undefined): boolean => !w || wordNames(w, names, seen);
  for (const u of script.units) {
    if (u.kind === "unresolved") return undefined;
    if (u.kind === "function" && !namesAssigned(u.body, names, seen)) return undefined;
    if (u.kind === "expand" && !u.words.every(word)) return undefined;
    if (u.kind === "assign") {
      if (u.anyName) return undefined;
      names.add(u.name);
      if (!word(u.value) || (u.source && !namesAssigned(u.source, names, seen))) return undefined;
    }
    if (u.kind !== "pipeline") continue;
    for (const c of u.stages) {
      for (const a of c.env ?? []) names.add(a.name);
      if (mayAssignAny(c.argv)) return undefined;
      if (![...c.argv, ...c.redirects.map((r) => r.target), c.stdinText, ...(c.env ?? []).map((a) => a.value)].every(word)) return undefined;
      if (c.body && !namesAssigned(c.body, names, seen)) return undefined;
    }
  }
  return names;
}

/** {@link namesAssigned} of a line, worked out when first asked (only a line that sends a secret asks). */
export function assignedWhenAsked(script: Script): () => ReadonlySet<string> | undefined {
  let known: { names: ReadonlySet<string> | undefined } | undefined;
  return () => (known ??= { names: namesAssigned(script) }).names;
}

/** `. .env`, `source x`, `eval "$s"`, `read "$n"`: a command that may set a variable whose name the line does not hold. */
function mayAssignAny(argv: readonly Word[]): boolean {
  const at = argv.findIndex((w) => w.dynamic || !IN_SHELL.has(w.text));
  const first = argv[at];
  if (!first || first.dynamic) return false;
  const args = argv.slice(at + 1);
  if (first.text === "." || first.text === "source") return true;
  if (first.text === "eval") return args.some((w) => w.dynamic);
  if (first.text === "printf") {
    const v = args.findIndex((w) => !w.dynamic && w.text === "-v");
    return v >= 0 && args[v + 1]?.dynamic === true;
  }
  // `export X="$v"` names X; `read "$n"`, `declare "$n=…"` name only a value.
  return SETTERS.has(first.text) && args.some((w) => w.dynamic && !/^[A-Za-z_][A-Za-z0-9_]*(\[[^\]]*\])?\+?=/.test(w.text));
}

/** Adds the names a word holds other than as uses; false where one of its substitutions may assign any. */
function wordNames(word: Word, names: Set<string>, seen: Set<Script>): boolean {
  // `$x` and `${x}` use x; `${x:=…}`, `x=…`, a bare `x` may set it.
  for (const m of word.text.matchAll(/(\$\{?)?([A-Za-z_][A-Za-z0-9_]*)(:?=)?/g)) {
    if (m[1] === "$" || (m[1] === "${" && !m[3])) continue;
    if (m[2]) names.add(m[2]);
  }
  (word.params ?? []).forEach((p, i) => {
    const name = word.vars?.[i];
    if (p && "word" in p && (p.op === "=" || p.op === ":=") && name) names.add(name);
  });
  for (const p of word.params ?? []) {
    const inner = p && "word" in p ? p.word : p?.of;
    if (inner && !wordNames(inner, names, seen)) return false;
  }
  return word.subs.every((s) => namesAssigned(s, names, seen) !== undefined);
}

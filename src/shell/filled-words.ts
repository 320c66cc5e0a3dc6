/**
 * A command's words filled with what the line's variables and one-`echo` substitutions hold, and
 * what a variable carries along: a download it holds, a credential (`heldBy`), a service's base URL.
 */
import type { Cmd, Redirect, Script, Unit, Word } from "./ir.js";
import { RUN_TIME, readsStdin } from "./ir.js";
import { asUtf8, pipelineOutput } from "./decode.js";
import type { Ctx } from "./evaluate-context.js";
import { fillOutputs, fishJoined, fishLists, outputsOf, paramsOf, resolveWord, resolveWords, slotsOf, splitAtDefaultIfs } from "./variables.js";
import { bashWrites } from "./bash-writes.js";
import { usedNames } from "./data-flow.js";
import { carried, withCarried } from "./credential-files.js";
import { environmentRead, environmentSecret, mayNameServiceBase } from "./secret-names.js";
import { scriptDownloads } from "./downloads.js";

export function withVariables(cmd: Cmd, ctx: Ctx): Cmd {
  const { vars, maybe } = ctx;
  const splitIfs = ctx.shell === "bash" || ctx.shell === "sh";
  const outputs = cmd.argv.some((w) => w.outputs) || cmd.redirects.some((r) => r.target.outputs) || cmd.stdinText?.outputs !== undefined;
  if (!outputs && vars.size === 0 && maybe.size === 0 && ctx.fetched.size === 0 && ctx.credentialFiles.size === 0 && !(splitIfs && cmd.argv.some((w) => w.vars?.includes("IFS"))) && !usesSecret(cmd, ctx)) return cmd;
  const written = (w: Word): Word => oneWordOutputs(w, ctx);
  const argv = cmd.argv.flatMap((w) => fillOutputs(w, (s) => substitutionWrites(s, ctx)));
  // A PowerShell variable is one argument whatever it holds (`Set-Content x.ps1 $c`); only as the
  // command (`& $c`) is it read as the words it holds, as `iex $c` would run them.
  const powershell = ctx.shell === "powershell";
  const fish = ctx.shell === "fish";
  // fish's values are lists: a word is one word per element (see `fishLists`); one that may not be split is given them joined.
  const listed = fish ? fishLists(argv, vars) : argv;
  const joined = fish ? new Map([...vars].map(([name, value]) => [name, fishJoined(value)])) : vars;
  const resolved = listed.flatMap((w, i) => (powershell && i > 0 ? [resolveWord(w, vars, maybe)] : resolveWords([w], vars, maybe, !fish))).map((w) => withFetched(w, ctx));
  // A file the line wrote a credential to carries it where it is named (`credential-files.ts`).
  const out: Cmd = { ...cmd, argv: withCarried(splitIfs ? splitAtDefaultIfs(resolved, vars) : resolved, ctx), redirects: cmd.redirects.map((r) => carriedRedirect({ ...r, target: resolveWord(written(r.target), joined, maybe) }, ctx)) };
  if (cmd.stdinText) out.stdinText = withFetched(resolveWord(written(cmd.stdinText), joined, maybe), ctx);
  return out;
}

/** A file opened on standard input (`nc x.io 80 < F`) with the credential the line wrote to it. */
function carriedRedirect(r: Redirect, ctx: Ctx): Redirect {
  return readsStdin(r) ? { ...r, target: carried(r.target, ctx) } : r;
}

/** What `$(…)` writes filled into a word that is not split: an assigned value, a redirection's target, a here-string. */
export function oneWordOutputs(word: Word, ctx: Ctx): Word {
  if (!word.outputs) return word;
  const filled = fillOutputs({ ...word, bare: false }, (s) => substitutionWrites(s, ctx))[0] ?? word;
  return word.bare ? { ...filled, bare: true } : filled;
}

/**
 * What a `$(…)` writes, where it is one `echo` or `printf %s` whose words wren knows or can follow
 * (`$(echo ${x:-~})` writes `${x:-~}`), trailing newlines removed (kept, `whole`, for what a file
 * gets outside PowerShell); undefined when it cannot tell. Outside PowerShell, exactly as the shell
 * writes it (see `bashWrites`).
 */
export function substitutionWrites(script: Script, ctx: Ctx, whole = false): string | Word | undefined {
  const only = script.units.length === 1 ? script.units[0] : undefined;
  const stage = only?.kind === "pipeline" && only.stages.length === 1 ? only.stages[0] : undefined;
  if (!stage || stage.redirects.length > 0 || stage.stdinText || stage.background) return undefined;
  const argv = withVariables(stage, ctx).argv;
  const [name, ...args] = argv;
  if (!name || name.dynamic || (name.text !== "echo" && name.text !== "printf")) return undefined;
  // A function or alias of that name defined on the line runs instead of the builtin (an alias where
  // aliases are expanded, as in an interactive shell or after `shopt -s expand_aliases`).
  if (ctx.functions.has(name.text) || ctx.aliases.has(name.text)) return undefined;
  // A pattern writes the files it matches; `printf -v x …` writes nothing.
  if (args.some((w) => w.glob) || (name.text === "printf" && /^-(?!-$)/.test(args[0]?.text ?? ""))) return undefined;
  if (ctx.shell !== "powershell") return bashWrites(name.text, args, ctx.shell, whole);
  if (!args.some((w) => w.dynamic)) {
    const produced = pipelineOutput([{ ...stage, argv }], ctx.shell === "powershell");
    return produced.text === undefined || produced.decoded ? undefined : asUtf8(produced.text).replace(/\n+$/, "");
  }
  // A value only known at run time is written as it is: by a plain `echo`, or by `printf %s` given it alone.
  const shown = name.text === "echo" ? (args.every((w) => w.dynamic || !/^-|\\/.test(w.text)) ? args : undefined) : args.length === 2 && !args[0]?.dynamic && args[0]?.text === "%s" ? args.slice(1) : undefined;
  return shown && joinWords(shown);
}

/** Words joined by spaces, as `echo` writes them, their values still to be filled in kept. */
function joinWords(words: readonly Word[]): Word {
  const vars = words.flatMap(slotsOf);
  const params = words.flatMap(paramsOf);
  const outputs = words.flatMap(outputsOf);
  const word: Word = { text: words.map((w) => w.text).join(" "), dynamic: words.some((w) => w.dynamic), glob: false, subs: [], vars };
  if (params.some((p) => p !== null)) word.params = params;
  if (outputs.some((o) => o !== null)) word.outputs = outputs;
  return word;
}

/**
 * A word using a variable that holds downloaded text carries the download, so whatever runs the word
 * runs downloaded code; one holding a credential carries the script that printed it as `held`, which
 * data-flow follows to where it is sent without running it again. Credentials are followed into the
 * word's substitutions too (`"$(echo "$OPENAI_API_KEY" | base64)"`), whose commands see no variables filled in.
 */
export function withFetched(unmarked: Word, ctx: Ctx): Word {
  const word = withServiceBase(unmarked, ctx);
  const powershell = ctx.shell === "powershell";
  const runs = [...new Set((word.vars ?? []).flatMap((name) => [name === null ? undefined : ctx.fetched.get(name)].filter((s): s is Script => s !== undefined && scriptDownloads(s, powershell))))];
  const used = word.dynamic ? [...usedNames(word)] : [];
  const held = [...new Set(used.flatMap((name) => [heldBy(name, ctx)].filter((s): s is Script => s !== undefined && s.units.length > 0 && !scriptDownloads(s, powershell))))];
  if (runs.length === 0 && held.length === 0) return word;
  return { ...word, subs: [...word.subs, ...runs], ...(held.length > 0 ? { held: [...(word.held ?? []), ...held] } : {}) };
}

/**
 * `"$OPENAI_BASE_URL/v1"`: a word that starts with a variable naming a service's base URL, which the
 * line gives no value anywhere, is marked so (`Word.serviceBase`): its host is the one the user set.
 */
function withServiceBase(word: Word, ctx: Ctx): Word {
  const name = word.dynamic && ctx.shell !== "powershell" && word.text.startsWith(RUN_TIME) && !word.params?.[0] ? word.vars?.[0] : undefined;
  if (!name || !mayNameServiceBase(name)) return word;
  const assigned = ctx.assigned?.();
  return assigned && !assigned.has(name) ? { ...word, serviceBase: name } : word;
}

/** What a secret's variable holds once it is given a value that is no credential (see `heldBy`). */
export const HOLDS_NOTHING: Script = { units: [] };

/**
 * The script whose output a variable holds where data-flow follows it: what the line assigned it
 * (a download, a credential; {@link HOLDS_NOTHING} for a secret's name given another value), else,
 * for a name that marks a secret from the environment (`secret-names.ts`), `printenv NAME`.
 */
export function heldBy(name: string, ctx: Ctx): Script | undefined {
  const assigned = ctx.fetched.get(name);
  if (assigned || ctx.vars.has(name) || ctx.maybe.has(name)) return assigned;
  const secret = secretName(name, ctx);
  return secret === undefined ? undefined : environmentRead(secret);
}

/**
 * The environment variable a variable's name reads where its name marks it a secret: the name itself
 * outside PowerShell (`OPENAI_API_KEY`), in PowerShell one of the env: drive (`$env:openai_api_key`,
 * named in any case, compared in capitals); undefined for any other.
 */
export function secretName(name: string, ctx: Ctx): string | undefined {
  const env = ctx.shell !== "powershell" ? name : /^env:/i.test(name) ? name.slice(4).toUpperCase() : undefined;
  return env !== undefined && environmentSecret(env) !== undefined ? env : undefined;
}

/**
 * What a PowerShell variable assigned a statement's output holds where data-flow follows it: the
 * secrets of the environment, and the credentials other variables hold, that the statement uses
 * (`$k = $env:OPENAI_API_KEY`, `$h = "Bearer $k"`). What its commands read is not followed.
 */
export function psHeldSource(source: Script, ctx: Ctx): Script {
  const units = new Set<Unit>();
  for (const name of usedNames({ text: RUN_TIME, dynamic: true, glob: false, subs: [source] })) {
    const held = heldBy(name, ctx);
    if (held && !scriptDownloads(held, true)) for (const u of held.units) units.add(u);
  }
  return { units: [...units] };
}

/** Whether a command uses a secret's variable (`$OPENAI_API_KEY`, `$env:OPENAI_API_KEY`), in its words or their substitutions. */
function usesSecret(cmd: Cmd, ctx: Ctx): boolean {
  return [...cmd.argv, ...(cmd.stdinText ? [cmd.stdinText] : [])].some((w) => w.dynamic && [...usedNames(w)].some((name) => secretName(name, ctx) !== undefined));
}

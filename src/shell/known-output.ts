/**
 * What a command writes to its standard output where wren knows it, every byte: `echo`, `printf`,
 * `cat` of a here-document, a block's commands in turn, a call of a function the line defines.
 */
import type { Cmd, Redirect, Script } from "./ir.js";
import { runsDefined, type Ctx } from "./evaluate-context.js";
import { recordWrites } from "./written-files.js";
import { endsCleanly, fedText } from "./written-content.js";
import { commandName } from "./downloads.js";
import { substitutionWrites, withVariables } from "./filled-words.js";

/**
 * The body units that the readings of functions with a call's input judge together in one line (see
 * `feedCall` in evaluate.ts): functions that call each other with input could otherwise take time growing with
 * the calls' product. Past it a call's input is not followed, and the line is at least high.
 */
export const FED_CALL_UNITS = 2_000;

/**
 * `f() { echo …; } > x.sh; f`: the redirections written after a function's body write its output
 * at each call (the body's own reading, where it was defined, has written it once).
 */
export function callWrites(cmd: Cmd, ctx: Ctx): void {
  const name = cmd.argv[0]?.dynamic === false ? cmd.argv[0].text : "";
  const last = ctx.shell !== "powershell" ? ctx.bodies.get(name)?.units.at(-1) : undefined;
  const writes = last?.kind === "pipeline" && last.stages.length === 1 ? last.stages[0] : undefined;
  if (writes?.body && writes.argv.length === 0) recordWrites(withVariables(writes, ctx), writtenText(writes, ctx), ctx);
}

/**
 * What a command writes to standard output where wren knows it, every byte (a file holds the newline
 * echo ends with, and none after printf's `%s`): `echo` or `printf` of known words, `cat` of a
 * here-document.
 */
export function writtenText(cmd: Cmd, ctx: Ctx, calls?: CallsRead): string | undefined {
  const [name, ...args] = cmd.argv;
  if (!name && cmd.body) return bodyWrites(cmd.body, ctx, calls);
  if (!name || name.dynamic) return undefined;
  const called = ctx.shell !== "powershell" && !ctx.aliases.has(name.text) ? ctx.bodies.get(name.text) : undefined;
  if (called) return calledWrites(name.text, called, ctx, calls ?? { reading: new Set(), units: 0 }, cmd.redirects.some(takesOutput));
  if (name.text === "cat" && args.length === 0 && !ctx.functions.has("cat") && !ctx.aliases.has("cat")) return cmd.stdinText && !cmd.stdinText.dynamic ? fedText(cmd.stdinText) : undefined;
  // A condition writes nothing to its output (`if true; then …`).
  if (ctx.shell !== "powershell" && CONDITIONS.has(name.text) && !ctx.functions.has(name.text) && !ctx.aliases.has(name.text)) return "";
  // cmd.exe's `echo` writes the rest of its command as it is.
  if (ctx.cmdLine && commandName(name.text, true) === "write-output") return args.some((w) => w.dynamic) ? undefined : args.map((w) => w.text).join(" ");
  const produced = substitutionWrites({ units: [{ kind: "pipeline", stages: [{ ...cmd, redirects: [] }] }] }, ctx, true);
  return typeof produced === "string" ? produced : produced && !produced.dynamic ? produced.text : undefined;
}

/** Builtins that write nothing to their standard output (`test` and `[` write only errors). */
const CONDITIONS = new Set(["true", "false", ":", "test", "["]);

/**
 * What the commands of `{ …; } > x.sh` write, one after another, where each is a command whose output
 * wren knows (`echo`, `printf`, `cat <<EOF`), or such a command piped through `cat` or `tee`, which
 * pass it on as it is (`echo … | cat`); undefined when one is not, or writes elsewhere.
 */
function bodyWrites(body: Script, ctx: Ctx, calls?: CallsRead): string | undefined {
  // The text so far, and that of each branch or loop body still open inside it.
  const open: string[] = [""];
  for (const u of body.units) {
    if (u.kind === "scope" || u.kind === "line") continue;
    if (u.kind === "maybe") {
      if (u.edge === "start") {
        open.push("");
        continue;
      }
      const inner = open.pop();
      const outer = open.at(-1);
      if (inner === undefined || outer === undefined) return undefined;
      // What may not run is written as a branch of its own (`if :; then …; fi`), judged with and without
      // it, where it and what comes before it end where a command does.
      if (inner === "") continue;
      if ((outer !== "" && !endsCleanly(outer, ctx)) || !endsCleanly(inner, ctx)) return undefined;
      open[open.length - 1] = `${outer}if :; then\n${inner}fi\n`;
      continue;
    }
    const [stage, ...passes] = u.kind === "pipeline" ? u.stages : [];
    if (!stage || [stage, ...passes].some((c) => c.redirects.length > 0 || c.background) || !passes.every((c) => passesOn(c, ctx))) return undefined;
    const written = writtenText(stage, ctx, calls);
    if (written === undefined) return undefined;
    open[open.length - 1] += written;
  }
  return open.length === 1 ? open[0] : undefined;
}

/** The functions whose output {@link calledWrites} is working out, and how many of their units it has read. */
interface CallsRead {
  reading: ReadonlySet<string>;
  units: number;
}

/**
 * What a call of a function the line defines writes (`f() { echo …; }; f > x.sh`): what its body
 * writes, where that uses no variable, which the call (its arguments) or the function may set
 * otherwise than the line does where wren reads it. A function reading itself, or more than
 * {@link FED_CALL_UNITS} units of bodies in all, writes text wren cannot know.
 */
function calledWrites(name: string, body: Script, ctx: Ctx, calls: CallsRead, redirected: boolean): string | undefined {
  calls.units += body.units.length;
  if (calls.reading.has(name) || calls.units > FED_CALL_UNITS || usesValues(body)) return undefined;
  const reading = { ...calls, reading: new Set([...calls.reading, name]) };
  // `f() { …; } > y.sh`: the function's own redirection applies after the call's (`f > x.sh`), so its
  // output goes to y.sh and the call's file gets none; zsh (MULTIOS) writes it to both where the call
  // has a redirection of its output too (checked with bash 5, dash and zsh 5).
  const last = body.units.at(-1);
  const own = last?.kind === "pipeline" && last.stages.length === 1 && last.stages[0]?.definition ? last.stages[0] : undefined;
  if (!own?.body) return bodyWrites(body, ctx, reading);
  if (own.redirects.some(takesOutput) && !(ctx.shell === "zsh" && redirected)) return "";
  return bodyWrites(own.body, ctx, reading);
}

/** Whether a redirection takes a command's standard output: `> F`, `>> F`, `&> F`, `>&2`, not `2> F` or `< F`. */
function takesOutput(r: Redirect): boolean {
  return r.op.includes(">") && !r.op.includes("<") && (r.op.startsWith("&") || (r.fd ?? 1) === 1);
}

/** Whether a pipeline of the body has a word, here-document or redirection target only known at run time. */
function usesValues(body: Script): boolean {
  return body.units.some((u) => u.kind === "pipeline" && u.stages.some((c) => [...c.argv, ...(c.stdinText ? [c.stdinText] : []), ...c.redirects.map((r) => r.target)].some((w) => w.dynamic)));
}

/** Whether a pipeline stage writes its input as it is: the `cat` (of only standard input, `-u` at most) or `tee` programs, not a function or alias of their name. */
function passesOn(cmd: Cmd, ctx: Ctx): boolean {
  const [name, ...args] = cmd.argv;
  if (!name || name.dynamic || cmd.stdinText || runsDefined([cmd], ctx) || args.some((w) => w.dynamic)) return false;
  if (name.text === "cat") return args.every((w) => w.text === "-" || w.text === "-u");
  // Some builds of tee copy again to standard output for a file named `-`.
  return name.text === "tee" && !args.some((w) => w.text === "-" || /^--(h|v)/.test(w.text));
}

/**
 * Builtins that give variables values the evaluator reads apart: `read`, `mapfile`, `getopts` and
 * `printf -v`, and a declaring builtin the grammar reads as a command (`builtin unset x`, `\unset x`).
 */
import type { Unit, Word } from "./ir.js";
import type { Ctx } from "./evaluate-context.js";
import { declarationOf, DECLARING, leadingOptions } from "./declaration-options.js";
import { forgetValue, forgetValues } from "./variables.js";

/** Options of bash builtins that assign to a name given in their arguments, and take a value of their own. */
const VALUE_OPTIONS: Record<string, RegExp> = { read: /^-[a-zA-Z]*[adinNptu]$/, mapfile: /^-[a-zA-Z]*[dnOsuCc]$/, readarray: /^-[a-zA-Z]*[dnOsuCc]$/ };

/**
 * Builtins that give a variable a value wren does not work out: `read x`, `mapfile a`, `getopts o x`,
 * `printf -v x …`, `declare "$n=/"`. The names they set become unknown; where the name itself is only
 * known at run time, any variable may have changed. Where a function of that name runs instead
 * (`byFunction`), what it does with its words is only known at run time: each name keeps its value
 * or gets another.
 */
export function assignsUnknown(name: string, args: Word[], ctx: Ctx, byFunction = false): void {
  const set = (w: Word | undefined): void => {
    if (!w || w.dynamic) {
      forgetValues(ctx.vars, ctx.maybe);
      return;
    }
    const target = /^[A-Za-z_][A-Za-z0-9_]*/.exec(w.text)?.[0];
    if (target && byFunction) forgetValue(target, ctx.vars, ctx.maybe);
    else if (target) {
      ctx.vars.delete(target);
      ctx.maybe.delete(target);
    }
  };
  if (name === "read" || name === "mapfile" || name === "readarray") {
    const names: Word[] = [];
    for (let i = 0; i < args.length; i++) {
      const w = args[i];
      if (!w) continue;
      if (!w.dynamic && w.text.startsWith("-")) {
        if (VALUE_OPTIONS[name]?.test(w.text)) {
          // `read -a NAME` names the array it fills.
          if (name === "read" && w.text.endsWith("a")) set(args[i + 1]);
          i++;
        }
        continue;
      }
      names.push(w);
    }
    if (name === "read") names.forEach(set);
    else if (names.length > 0) set(names[names.length - 1]);
  } else if (name === "getopts") {
    set(args[1]);
  } else if (name === "printf") {
    const at = args.findIndex((w) => !w.dynamic && w.text === "-v");
    const target = args[at + 1];
    const value = at >= 0 ? printed(args.slice(at + 2)) : undefined;
    if (target && !target.dynamic && /^[A-Za-z_][A-Za-z0-9_]*$/.test(target.text) && value !== undefined && !byFunction) {
      ctx.vars.set(target.text, value);
      ctx.maybe.delete(target.text);
    } else if (at >= 0) set(target);
  }
}

/**
 * A declaring builtin the grammar reads as an ordinary command (`builtin unset x`, `command export x=/`,
 * `\unset x`): it does what its plain form does, which the parser turns into assignments, so it is
 * read as those assignments. A name only known at run time (`builtin unset "$n"`) may be any variable.
 */
export function declares(name: string, args: Word[], ctx: Ctx): void {
  if (!DECLARING.has(name)) return;
  const { options, rest: i } = leadingOptions(name, args);
  const { none, exported, transformed } = declarationOf(name, options);
  if (none) return;
  const units: Unit[] = [];
  for (const w of args.slice(i)) {
    // A word after the options written with `-` or `+` (`export +p -n x`) is a name bash refuses.
    if (!w.dynamic && /^[-+]/.test(w.text)) continue;
    const target = /^([A-Za-z_][A-Za-z0-9_]*)(=?)/.exec(w.text);
    if (!target?.[1] || (w.dynamic && !target[2]) || (target[2] === "" && target[1] !== w.text)) {
      units.push({ kind: "assign", name: "", anyName: true });
      continue;
    }
    const variable = target[1];
    if (name === "unset") units.push({ kind: "assign", name: variable, unset: true });
    else if (target[2]) units.push({ kind: "assign", name: variable, value: transformed ? undefined : { ...w, text: w.text.slice(variable.length + 1) }, exported });
    else if (exported) units.push({ kind: "assign", name: variable, exported, exportOnly: true });
  }
  ctx.ops.evalScript({ units }, ctx);
}

/** What `printf FORMAT ARGS` writes where that is plain: `printf %s /`, or a format with no `%` or `\` and no arguments. */
function printed(words: Word[]): string | undefined {
  const [format, ...rest] = words[0]?.text === "--" && !words[0].dynamic ? words.slice(1) : words;
  if (!format || format.dynamic || rest.some((w) => w.dynamic)) return undefined;
  if (format.text === "%s" && rest.length === 1) return rest[0]?.text;
  return rest.length === 0 && !/[%\\]/.test(format.text) ? format.text : undefined;
}

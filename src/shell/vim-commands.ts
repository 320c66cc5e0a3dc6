import type { Word } from "./ir.js";
import { RUN_TIME } from "./ir.js";
import { unresolved, type Ctx } from "./evaluate-context.js";
import { runCommand } from "./option-command.js";

/**
 * Ex commands given to vim on its command line (`-c CMD`, `+CMD`, `--cmd CMD`) run shell commands
 * with `:!`, `:r !`, `:w !`, `:terminal` and `system()`; those are analysed like shell commands.
 */
export function vimCommands(name: string, args: readonly Word[], ctx: Ctx): void {
  for (let i = 0; i < args.length; i++) {
    const w = args[i];
    if (!w) break;
    if (!w.dynamic && (w.text === "-c" || w.text === "--cmd")) {
      const c = args[++i];
      if (c) exCommand(name, c, ctx, 0);
    } else if (!w.dynamic && w.text.startsWith("+") && w.text.length > 1 && !/^\+\d*$/.test(w.text)) {
      exCommand(name, { ...w, text: w.text.slice(1) }, ctx, 0);
    } else if (w.dynamic && w.text.startsWith("+")) {
      unresolved(ctx, `${name} runs an editor command only known at run time`);
    }
  }
}

function exCommand(name: string, command: Word, ctx: Ctx, depth: number): void {
  if (command.dynamic && /[!]|system|ter|exe/.test(command.text) || command.text === RUN_TIME) {
    unresolved(ctx, `${name} runs an editor command only known at run time`);
    return;
  }
  const runner = `${name} -c`;
  const text = command.text;
  // Commands are separated by `|`, except after `!`, where the rest of the line is the shell's.
  let rest = text;
  while (rest.length > 0) {
    const part = rest.replace(/^[\s:]+/, "").replace(/^(sil(ent)?!?\s*)/, "").replace(/^[%.,$'\d\s]+/, "");
    const shell = /^(?:(?:r(?:ead)?|w(?:rite)?|[0-9]*)\s*)?!(.*)$/s.exec(part) ?? /^ter(?:minal)?(?:\s+\+\+\S+)*\s+(.*)$/s.exec(part);
    if (shell) {
      runCommand(ctx, { ...command, text: shell[1] ?? "" }, runner);
      return;
    }
    const bar = barIndex(part);
    const one = bar >= 0 ? part.slice(0, bar) : part;
    for (const m of one.matchAll(/(?<![\w#])system(?:list)?\s*\(\s*(?:'([^']*)'|"((?:[^"\\]|\\.)*)")?/g)) {
      const literal = m[1] ?? m[2];
      if (literal !== undefined) runCommand(ctx, { ...command, text: literal }, runner);
      else unresolved(ctx, `${name} runs a command built at run time`);
    }
    const exe = /^exe(?:c(?:ute)?)?\s+(?:'([^']*)'|"((?:[^"\\]|\\.)*)")\s*$/.exec(one);
    const inner = exe?.[1] ?? exe?.[2];
    if (inner !== undefined && depth < 4) exCommand(name, { ...command, text: inner }, ctx, depth + 1);
    else if (/^exe(?:c(?:ute)?)?\s/.test(one)) unresolved(ctx, `${name} runs an editor command built at run time`);
    if (bar < 0) break;
    rest = part.slice(bar + 1);
  }
}

/** Commands whose argument is an expression: vim reads its strings whole, so a `|` in one ends nothing. */
const EXPRESSION_COMMANDS = /^(?:cal(?:l)?|ec(?:ho)?|echon|echom(?:sg)?|echoe(?:rr)?|let|exe(?:c(?:ute)?)?|if|elsei(?:f)?|wh(?:ile)?|for|retu(?:rn)?|unl(?:et)?|const?)\b/;

/** Where the command ends at a `|`, or -1. */
function barIndex(part: string): number {
  if (!EXPRESSION_COMMANDS.test(part)) return part.indexOf("|");
  let quote = "";
  for (let i = 0; i < part.length; i++) {
    const c = part[i];
    if (quote === '"' && c === "\\") i++;
    else if (quote && c === quote) {
      // '' inside a single-quoted string is a quote, not its end.
      if (quote === "'" && part[i + 1] === "'") i++;
      else quote = "";
    } else if (!quote && (c === '"' || c === "'")) quote = c;
    else if (!quote && c === "|") return i;
  }
  // A string that never closes is an error in vim; wren splits where a command would end.
  return quote ? part.indexOf("|") : -1;
}

import { RUN_TIME, type Script, type Word } from "./ir.js";

/**
 * Commands that print one name or number, of the user or group that runs them: what `$(whoami)`
 * gives is one word, and no path. As written, options included (`id -G` prints several groups).
 */
export const ONE_WORD_COMMANDS: readonly string[] = ["whoami", "logname", "id -u", "id -un", "id -nu", "id -g", "id -gn", "id -ng"];

/** What a line holds that may run instead of a command of that name: a function or alias it defines. */
export interface Redefined {
  has(name: string): boolean;
}

/**
 * The word marked `noPath` where it is bare (`Word.bare`: split into words, maybe several) and every
 * value in it is what a command of {@link ONE_WORD_COMMANDS} prints (`$(whoami)`, `` `id -u` ``), or a
 * variable the line gives no value anywhere, with no default (`$USER`: the user's environment's;
 * `assigned` from `line-assignments.ts`, undefined where the line may assign any name). A command
 * the line redefines (`whoami() { echo /etc; }`) may print anything.
 */
export function withNoPath(word: Word, assigned: () => ReadonlySet<string> | undefined, redefined: Redefined): Word {
  if (!word.bare || word.noPath) return word;
  const slots = word.text.split(RUN_TIME).length - 1;
  if (slots === 0) return word;
  const holdsNoPath = Array.from({ length: slots }, (_, i) => word.vars?.[i] ?? null).every((name, i) => {
    if (name !== null) return /^[A-Za-z_][A-Za-z0-9_]*$/.test(name) && !word.params?.[i] && assigned()?.has(name) === false;
    const script = word.outputs?.[i];
    return script !== null && script !== undefined && printsOneWord(script, redefined);
  });
  return holdsNoPath ? { ...word, noPath: true } : word;
}

/** Whether a substitution's script is one of {@link ONE_WORD_COMMANDS}, alone, with no redirection or input. */
function printsOneWord(script: Script, redefined: Redefined): boolean {
  const only = script.units.length === 1 ? script.units[0] : undefined;
  const stage = only?.kind === "pipeline" && only.stages.length === 1 ? only.stages[0] : undefined;
  if (!stage || stage.redirects.length > 0 || stage.stdinText || stage.env?.length || stage.background || stage.body) return false;
  if (stage.argv.some((w) => w.dynamic || w.glob)) return false;
  const name = stage.argv[0]?.text;
  return name !== undefined && !redefined.has(name) && ONE_WORD_COMMANDS.includes(stage.argv.map((w) => w.text).join(" "));
}

import type { Command } from "commander";
import { closest } from "../../config/suggest.js";
import { WrenError } from "../../shared/errors.js";

/**
 * Root options (`-p`, `--model`, `--offline`, …) belong to the assistant. Typed before a command's
 * name they would be dropped without a word (`wren --model ./m.gguf run hi` downloaded the default
 * model instead), so a run that names a command after them is refused, saying where they go.
 */
export function refuseRootOptionsBefore(program: Command, sub: Command): void {
  // `--daemon` and `--no-daemon` share one value: the one typed is the one that set it.
  const typed = program.options.filter(
    (o) => o.long !== undefined && program.getOptionValueSource(o.attributeName()) === "cli" && (o.required || o.optional || o.negate === (program.getOptionValue(o.attributeName()) === false)),
  );
  if (typed.length === 0) return;
  const name = sub.name();
  if (typed.some((o) => o.long === "--print")) {
    throw new WrenError("bad_request", `-p runs the assistant on a task, and "${name}" is the name of a wren command.`, {
      hint: `Quote the task as one argument (wren -p "${name} …"), or leave out -p to run \`wren ${name}\`.`,
    });
  }
  const flags = typed.map((o) => o.long!);
  const own = flags.filter((flag) => sub.options.some((o) => o.long === flag));
  const where = own.length > 0 ? `Put ${list(own)} after the command's name: wren ${name} ${own.join(" … ")} …` : `\`wren ${name} --help\` lists the options ${name} takes.`;
  throw new WrenError("bad_request", `${list(flags)} before "${name}" ${flags.length === 1 ? "is an option" : "are options"} of the assistant (wren -p), not of wren ${name}.`, { hint: where });
}

const list = (items: readonly string[]): string => (items.length === 1 ? items[0]! : `${items.slice(0, -1).join(", ")} and ${items.at(-1)!}`);

/** `wren help` and `wren help COMMAND`: the command named, or undefined for the whole program. */
export function helpTarget(words: readonly string[], names: readonly string[]): { command: string | undefined } | undefined {
  if (words[0] !== "help" || words.length > 2) return undefined;
  if (words.length === 1) return { command: undefined };
  return names.includes(words[1]!) ? { command: words[1] } : undefined;
}

/**
 * What bare `wren` says without a terminal (a pipe, a script, CI): the terminal UI cannot open,
 * which of stdin and stdout is not one, and the `wren -p` that runs a task without one.
 */
export function noTerminalMessage(tty: { stdin: boolean; stdout: boolean }): string {
  const which = !tty.stdin && !tty.stdout ? "stdin and stdout are not terminals" : !tty.stdin ? "stdin is not a terminal" : "stdout is not a terminal";
  return [
    `error: wren's interactive assistant needs a terminal, and here ${which}.`,
    'For one task without a terminal, run wren -p "fix the failing test" (or pipe the task in: … | wren -p).',
  ].join("\n");
}

/**
 * What a run naming no command says without a terminal, where words are no prompt: a word close to
 * a command's name is a typo of it; anything else was meant for the assistant, which needs -p.
 */
export function unknownCommandMessage(words: readonly string[], names: readonly string[]): string {
  const first = words[0] ?? "";
  const suggestion = words.length === 1 && !/\s/.test(first) ? closest(first, names) : undefined;
  if (suggestion !== undefined) return `error: unknown command '${first}'\n(Did you mean ${suggestion}?)`;
  const task = words.join(" ");
  return [
    `error: unknown command '${first}'`,
    `Without a terminal, wren runs a task only with -p: wren -p ${JSON.stringify(task)}. \`wren --help\` lists the commands.`,
  ].join("\n");
}

/** Ollama's model commands, which users type as `wren VERB`: what wren calls them, and what they do. */
const OLLAMA_VERBS: Readonly<Record<string, { command: string; done: string; takesModels: boolean }>> = {
  list: { command: "wren models list", done: "Models are listed", takesModels: false },
  ls: { command: "wren models list", done: "Models are listed", takesModels: false },
  rm: { command: "wren models rm", done: "Models are removed", takesModels: true },
  ps: { command: "wren daemon status", done: "The models loaded are shown", takesModels: false },
};

/**
 * `wren list`, `wren ls`, `wren ps` alone and `wren rm MODEL…` (Ollama's commands): the refusal that
 * names wren's command, or undefined for anything else. `wren list the files` and a quoted prompt
 * stay a prompt for the assistant.
 */
export function ollamaCommandGiven(words: readonly string[]): WrenError | undefined {
  const [verb, ...rest] = words;
  const known = verb === undefined ? undefined : Object.hasOwn(OLLAMA_VERBS, verb) ? OLLAMA_VERBS[verb] : undefined;
  if (known === undefined) return undefined;
  if (known.takesModels ? rest.length === 0 || rest.some((word) => /\s/.test(word)) : rest.length > 0) return undefined;
  return new WrenError("bad_request", `${known.done} with \`${known.command}\`, not \`wren ${verb}\`.`, {
    hint: `Run: ${[known.command, ...rest].join(" ")}`,
  });
}

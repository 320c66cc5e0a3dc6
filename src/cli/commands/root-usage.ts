import type { Command } from "commander";
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


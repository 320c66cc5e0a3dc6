/**
 * `wren cmd --check COMMAND` runs once per command line from shell hooks and agents' pre-run checks,
 * so the published launcher runs it from a bundle of its own (see fast-check.ts) instead of
 * loading the command tree. This reads the argument shapes it takes there: `cmd`, then
 * `--check COMMAND` (or `--check=COMMAND`), and optionally `--shell NAME` / `-s NAME` /
 * `--shell=NAME` and `--json`, each once, in any order. Anything else (stdin's `-`, --jsonl, other
 * options, help, words after the command, an empty command, one of wren cmd's options given as the
 * command) returns undefined and goes through the command tree, which also reports every mistake.
 */
export interface CheckArgs {
  command: string;
  /** As given; the bundle validates it, and an unknown name goes through the command tree. */
  shell?: string;
  json: boolean;
}

/** Every option of `wren cmd`, short and long (a test keeps it equal to the command's own). */
export const CMD_OPTIONS: readonly string[] = ["--check", "-s", "--shell", "-o", "--output", "--json", "--jsonl", "-m", "--model", "--safety", "-x", "--execute", "--dry-run", "--offline", "--no-daemon", "-n", "--max-tokens", "-h", "--help"];

/**
 * Whether the value `--check` was given is one of `wren cmd`'s own options (`--check --json 'rm -rf
 * ~'`): the command to rate was meant to follow it, and rating the option (safe) would hide it.
 */
export function isCmdOption(value: string): boolean {
  const eq = value.startsWith("--") ? value.indexOf("=") : -1;
  return CMD_OPTIONS.includes(eq > 0 ? value.slice(0, eq) : value);
}

export function fastCheckArgs(args: readonly string[]): CheckArgs | undefined {
  if (args[0] !== "cmd") return undefined;
  let command: string | undefined;
  let shell: string | undefined;
  let json = false;
  for (let i = 1; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === "--json" && !json) {
      json = true;
      continue;
    }
    const eq = arg.startsWith("--") ? arg.indexOf("=") : -1;
    const name = eq > 0 ? arg.slice(0, eq) : arg;
    if (name !== "--check" && name !== "--shell" && name !== "-s") return undefined;
    // Like commander, an option's value is the next argument whatever it looks like.
    const value = eq > 0 ? arg.slice(eq + 1) : args[++i];
    if (value === undefined) return undefined;
    if (name === "--check" && command === undefined) command = value;
    else if (name !== "--check" && shell === undefined) shell = value;
    else return undefined;
  }
  // An empty command is a mistake the command tree reports.
  // So is an option of wren cmd's where the command goes.
  if (command === undefined || command === "-" || command.trim() === "" || isCmdOption(command)) return undefined;
  return shell === undefined ? { command, json } : { command, shell, json };
}

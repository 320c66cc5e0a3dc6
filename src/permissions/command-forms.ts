import type { Script, Word } from "../shell/ir.js";
import { RUN_TIME } from "../shell/ir.js";
import { commandName } from "../shell/downloads.js";
import { gitSubcommandCommands } from "../shell/git-config.js";
import { wrappedCommand } from "../shell/evaluate-context.js";
import { POSIX_SHELLS } from "../shell/rules.js";
import { xargsReplace } from "../shell/xargs-items.js";
import { findActions } from "./find-actions.js";

/**
 * The other commands a simple command also is, for `deny` and `ask` rules: the program by its base
 * name (`/bin/rm x` is `rm x`), what a wrapper runs (`sudo rm x`, `env A=1 rm x`, `timeout 5 rm x`,
 * `xargs rm`), what `sh -c '…'` or `eval '…'` runs, and what `find` does to what it finds (`-exec`,
 * `-delete`; see `findActions`). Allow rules never match these: an allowed
 * command is the command as written, while a denied one stays denied however it is dressed up.
 * Each comes with the home as `~` (`tildify`) and, where that differs, written out as the shell
 * passes it (`rm -rf /home/u/x` for `sh -c 'rm -rf ~/x'`), so a rule may spell it either way.
 */
export function cautiousForms(words: readonly Word[], parse: (text: string) => Script, tildify: (text: string) => string, depth = 0, stdin?: Word): string[] {
  const out = new Set<string>();
  const join = (ws: readonly Word[]): string => ws.map((w) => tildify(w.text)).join(" ");
  const add = (ws: readonly Word[]): void => {
    out.add(join(ws));
    out.add(ws.map((w) => w.text).join(" "));
  };
  let rest = [...words];
  for (let guard = 0; guard < 8; guard++) {
    const first = rest[0];
    if (!first || first.dynamic) break;
    const name = commandName(first.text, false);
    const args = rest.slice(1);
    if (name !== first.text) add([{ ...first, text: name }, ...args]);
    if (name === "rm") for (const form of rmSpellings(args)) add(form);
    if (name === "find" && depth < 4) {
      for (const action of findActions(args)) {
        add(action);
        for (const form of cautiousForms(action, parse, tildify, depth + 1)) out.add(form);
      }
    }
    const inner = innerScript(name, args, stdin);
    if (inner !== undefined && depth < 4) {
      for (const text of partsOf(parse(inner))) {
        add(text);
        for (const form of cautiousForms(text, parse, tildify, depth + 1)) out.add(form);
      }
      break;
    }
    const next = wrappedCommand(name, args);
    if (!next || next.length === 0) break;
    add(next);
    rest = next;
  }
  out.delete(join(words));
  return [...out];
}

/**
 * The literal script a command runs in a shell of its own, behind any wrappers: `sh -c '…'`,
 * `sudo bash -c '…'`, `eval …`, a shell reading `echo '…' |` or a here-string; undefined when none.
 */
export function innerScriptOf(words: readonly Word[], stdin?: Word): string | undefined {
  let rest = [...words];
  for (let guard = 0; guard < 8; guard++) {
    const first = rest[0];
    if (!first || first.dynamic) return undefined;
    const name = commandName(first.text, false);
    const inner = innerScript(name, rest.slice(1), stdin);
    if (inner !== undefined) return inner;
    const next = wrappedCommand(name, rest.slice(1));
    if (!next || next.length === 0) return undefined;
    rest = next;
  }
  return undefined;
}

/** The command as written, then what each wrapper in front of it runs: `sudo env A=1 tee f` gives three. */
export function wrapperChain(words: readonly Word[]): Word[][] {
  const out: Word[][] = [[...words]];
  let rest = [...words];
  for (let guard = 0; guard < 8; guard++) {
    const first = rest[0];
    if (!first || first.dynamic) break;
    const name = commandName(first.text, false);
    const unwrapped = wrappedCommand(name, rest.slice(1));
    if (!unwrapped || unwrapped.length === 0) break;
    const next = name === "xargs" ? withInput(rest.slice(1), unwrapped) : unwrapped;
    out.push(next);
    rest = next;
  }
  return out;
}

/**
 * What xargs runs: its command with the words it reads on standard input, known only at run time,
 * in place of `-I`'s string or after the command (`echo .wren/a | xargs rm` removes a file wren
 * cannot name before it runs).
 */
function withInput(args: readonly Word[], command: Word[]): Word[] {
  const replace = xargsReplace(args.slice(0, args.length - command.length));
  if (replace === undefined) return [...command, { text: RUN_TIME, dynamic: true, glob: false, subs: [] }];
  return command.map((w, i) => (i > 0 && !w.dynamic && replace !== "" && w.text.includes(replace) ? { ...w, text: w.text.split(replace).join(RUN_TIME), dynamic: true } : w));
}

/**
 * The literal script `sh -c '…'` or `eval …` runs, or a shell with no script of its own reads from
 * standard input (`bash <<< 'rm x'`, `echo 'rm x' | sh`).
 */
/** Files that are a process's own standard input. */
const STDIN_FILES: ReadonlySet<string> = new Set(["/dev/stdin", "/dev/fd/0", "/proc/self/fd/0"]);

function innerScript(name: string, args: Word[], stdin: Word | undefined): string | undefined {
  if (name === "eval") return args.some((w) => w.dynamic) ? undefined : args.map((w) => w.text).join(" ");
  if (name === "git") {
    const commands = gitSubcommandCommands(args).map((c) => c.command);
    return commands.length > 0 && commands.every((c) => !c.dynamic) ? commands.map((c) => c.text).join("\n") : undefined;
  }
  // `. /dev/stdin <<< 'rm x'`, `echo 'rm x' | source /dev/fd/0`: the shell runs what it reads.
  if (name === "." || name === "source") return STDIN_FILES.has(args[0]?.dynamic ? "" : (args[0]?.text ?? "")) && stdin && !stdin.dynamic ? stdin.text : undefined;
  if (!POSIX_SHELLS.has(name)) return undefined;
  const c = args.findIndex((w) => !w.dynamic && (w.text === "--command" || /^-[A-Za-z]*c[A-Za-z]*$/.test(w.text)));
  const script = c >= 0 ? args[c + 1] : undefined;
  if (c >= 0) return script && !script.dynamic ? script.text : undefined;
  // `bash /dev/stdin` reads its script from standard input, as `bash` alone does.
  const scriptFile = args.find((w) => w.dynamic || !w.text.startsWith("-"));
  const readsStdin = args.every((w) => !w.dynamic && w.text.startsWith("-")) || args.some((w) => w.text === "-s") || (scriptFile !== undefined && !scriptFile.dynamic && STDIN_FILES.has(scriptFile.text));
  return readsStdin && stdin && !stdin.dynamic ? stdin.text : undefined;
}

/**
 * `rm` with its recursive and force flags spelled the usual ways, so `Bash(rm -rf *)` in `deny` also
 * stops `rm -fr x`, `rm -r -f x` and `rm --recursive --force x`, and `Bash(rm -r *)` stops `rm -rf x`.
 */
function rmSpellings(args: Word[]): Word[][] {
  const flags = args.filter((w) => !w.dynamic && w.text.startsWith("-") && w.text !== "-" && w.text !== "--").map((w) => w.text);
  const has = (short: string[], long: string): boolean => flags.some((f) => f === long || (!f.startsWith("--") && short.some((s) => f.slice(1).includes(s))));
  const recursive = has(["r", "R"], "--recursive");
  const force = has(["f"], "--force");
  const end = args.findIndex((w) => w.text === "--");
  const files = args.filter((w, i) => (end >= 0 && i > end) || w.dynamic || !w.text.startsWith("-") || w.text === "-");
  const word = (text: string): Word => ({ text, dynamic: false, glob: false, subs: [] });
  const spellings: string[][] = [];
  if (recursive && force) spellings.push(["-rf"], ["-fr"], ["-r", "-f"], ["-f", "-r"], ["-Rf"], ["-fR"]);
  if (recursive) spellings.push(["-r"], ["-R"]);
  if (force) spellings.push(["-f"]);
  spellings.push([]);
  return spellings.map((s) => [word("rm"), ...s.map(word), ...files]);
}

/** The argv of every simple command in a script, substitutions and function bodies included. */
function partsOf(script: Script): Word[][] {
  const out: Word[][] = [];
  const words = (ws: readonly Word[]): void => {
    for (const w of ws) for (const sub of w.subs) out.push(...partsOf(sub));
  };
  for (const unit of script.units) {
    if (unit.kind === "pipeline") {
      for (const cmd of unit.stages) {
        if (cmd.argv.length > 0) out.push(cmd.argv);
        words(cmd.argv);
      }
    } else if (unit.kind === "function") out.push(...partsOf(unit.body));
    else if (unit.kind === "expand") words(unit.words);
  }
  return out;
}

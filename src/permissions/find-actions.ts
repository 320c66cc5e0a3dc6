import type { Word } from "../shell/ir.js";

const EXEC_ACTIONS = new Set(["-exec", "-execdir", "-ok", "-okdir"]);
/** Options before find's start paths; `-D` takes a value. */
const LEADING_OPTIONS = /^-([HLP]|O\d*)$/;

const word = (text: string): Word => ({ text, dynamic: false, glob: false, subs: [] });

/**
 * What `find` runs on the files it finds, as commands of their own, for deny and ask rules:
 * `-exec rm {} ;` is `rm {}` and `rm START` (each start path in place of `{}`), and `-delete`
 * removes every file and folder it reaches, as `rm -rf START` would, so `Bash(rm *)` and
 * `Bash(rm -rf *)` in `deny` stop `find . -delete` too.
 */
export function findActions(args: readonly Word[]): Word[][] {
  const { starts, commands, deletes } = findRuns(args);
  const out: Word[][] = [];
  if (deletes) out.push([word("rm"), word("-rf"), ...starts]);
  for (const inner of commands) {
    out.push(inner);
    for (const start of starts) out.push(inner.map((a) => (!a.dynamic && a.text === "{}" ? start : a)));
  }
  return out;
}

/** What `find` does to what it finds: the paths it starts from, the commands `-exec` and `-ok` run (`{}` as written), and whether `-delete` is given. */
export function findRuns(args: readonly Word[]): { starts: Word[]; commands: Word[][]; deletes: boolean } {
  const commands: Word[][] = [];
  let deletes = false;
  for (let i = 0; i < args.length; i++) {
    const w = args[i];
    if (!w || w.dynamic) continue;
    if (w.text === "-delete") deletes = true;
    if (!EXEC_ACTIONS.has(w.text)) continue;
    const end = args.findIndex((a, j) => j > i && !a.dynamic && (a.text === ";" || a.text === "+"));
    const inner = args.slice(i + 1, end < 0 ? args.length : end);
    if (inner.length > 0) commands.push(inner);
    if (end < 0) break;
    i = end;
  }
  return { starts: startPaths(args), commands, deletes };
}

function startPaths(args: readonly Word[]): Word[] {
  let i = 0;
  while (i < args.length) {
    const w = args[i];
    if (!w || w.dynamic) break;
    if (w.text === "-D") i += 2;
    else if (LEADING_OPTIONS.test(w.text)) i += 1;
    else break;
  }
  const starts: Word[] = [];
  for (const w of args.slice(i)) {
    if (!w.dynamic && (w.text.startsWith("-") || w.text === "(" || w.text === "!")) break;
    starts.push(w);
  }
  return starts.length > 0 ? starts : [word(".")];
}

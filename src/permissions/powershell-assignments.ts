import type { LineAssignments } from "./command-assignments.js";
import { changesWhatRuns } from "./what-runs.js";
import { RUN_TIME } from "../shell/ir.js";

/** `$env:NAME =`, `$env:NAME +=`, `${env:NAME} =` (any case; `==` is no PowerShell operator). */
const ENV_ASSIGNMENT = /\$(?:\{env:([A-Za-z_]\w*)\}|env:([A-Za-z_]\w*))\s*(\+?=)/gi;
/** `[Environment]::SetEnvironmentVariable('NAME', …)`, which changes the process's environment too. */
const SET_VARIABLE = /\[(?:System\.)?Environment\]::SetEnvironmentVariable\s*\(\s*(['"])([A-Za-z_]\w*)\1/gi;

/**
 * Finds the environment assignments of a PowerShell command line that change what runs
 * (`$env:PATH = "C:\evil;$env:PATH"; npm test`), as {@link lineAssignments} does for bash. PowerShell
 * has no `NAME=value command` form, so each is an assignment on its own that every later command
 * sees. The text is scanned as written: one inside a string is found too, which only asks more.
 */
export function powershellAssignments(command: string): LineAssignments {
  const out: LineAssignments = { prefixed: new Map(), alone: [], cleared: [], declarations: [] };
  for (const m of command.matchAll(ENV_ASSIGNMENT)) {
    const name = m[1] ?? m[2] ?? "";
    if (!changesWhatRuns(name)) continue;
    const value = valueAt(command, (m.index ?? 0) + m[0].length);
    out.alone.push({ name, text: `$env:${name}${m[3] ?? "="}${value.text}`, dynamic: value.dynamic });
  }
  for (const m of command.matchAll(SET_VARIABLE)) {
    const name = m[2] ?? "";
    if (changesWhatRuns(name)) out.alone.push({ name, text: `$env:${name}=${RUN_TIME}`, dynamic: true });
  }
  return out;
}

/**
 * The value after `=`, up to the end of its statement: one quoted string loses its quotes; anything
 * PowerShell works out at run time (`$x`, `(…)`, a double-quoted string with `$` in it) is dynamic.
 */
function valueAt(command: string, start: number): { text: string; dynamic: boolean } {
  let depth = 0;
  let quote: string | undefined;
  let end = start;
  for (; end < command.length; end++) {
    const c = command[end] ?? "";
    if (quote) {
      if (c === quote) quote = undefined;
      else if (c === "`" && quote === '"') end++;
      continue;
    }
    if (c === "'" || c === '"') quote = c;
    else if (c === "(" || c === "{" || c === "[") depth++;
    else if (c === ")" || c === "}" || c === "]") depth--;
    else if (depth <= 0 && (c === ";" || c === "|" || c === "\n" || c === "&")) break;
    if (depth < 0) break;
  }
  const raw = command.slice(start, end).trim();
  const single = /^'([^']*)'$/.exec(raw);
  if (single) return { text: single[1] ?? "", dynamic: false };
  const double = /^"([^"`$]*)"$/.exec(raw);
  if (double) return { text: double[1] ?? "", dynamic: false };
  const plain = /^[^\s$()'"`{}[\]@]+$/.test(raw);
  return plain ? { text: raw, dynamic: false } : { text: `${raw.replace(/^["']|["']$/g, "").replace(/\$[\w:{}]+/g, RUN_TIME)}`, dynamic: true };
}

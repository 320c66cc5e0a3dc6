/** A PowerShell `[type]::Method(args)` call that stands for a cmdlet: the .NET file calls, `[Environment]::SetEnvironmentVariable`. */
import { dotnetFileCall } from "./dotnet-files.js";
import type { Cmd, Word } from "./ir.js";
import { literalWord } from "./ir.js";
import type { Token } from "./powershell-tokens.js";

/**
 * `[type]::Method(args)`: a .NET call that deletes, writes, copies or moves files is its cmdlet,
 * also after a cast (`[void][IO.File]::Delete(…)`) or an operator, or before `> $null` or `, 1`.
 */
export function dotnetCall(tokens: Token[], i: number): Cmd | undefined {
  const [type, method, call] = tokens.slice(i, i + 3);
  if (type?.t !== "word" || type.kind !== "type" || method?.t !== "word" || method.kind !== "member" || call?.t !== "word" || call.kind !== "group") return undefined;
  const only = call.word.subs[0]?.units;
  const args = only?.length === 1 && only[0]?.kind === "pipeline" && only[0].stages.length === 1 ? only[0].stages[0]?.argv : undefined;
  return args ? (dotnetFileCall(type.word.text, method.word.text, args) ?? environmentCall(type.word.text, method.word.text, args)) : undefined;
}

/**
 * `[Environment]::SetEnvironmentVariable(NAME, VALUE[, TARGET])` is `Set-Item -Path Env:NAME -Value
 * VALUE`: with a target, the user's or the machine's programs started later see it too.
 */
function environmentCall(type: string, method: string, args: readonly Word[]): Cmd | undefined {
  const [name, value] = args;
  if (!/^\[(system\.)?environment\]$/i.test(type) || method.toLowerCase() !== "::setenvironmentvariable" || !name || name.dynamic || !value) return undefined;
  const param = (text: string): Word => ({ ...literalWord(text), param: true });
  return { kind: "cmd", argv: [literalWord("Set-Item"), param("-Path"), literalWord(`Env:${name.text}`), param("-Value"), value], redirects: [] };
}

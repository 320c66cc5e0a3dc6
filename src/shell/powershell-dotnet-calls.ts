/** A PowerShell `[type]::Method(args)` or `$item.Method(args)` call that stands for a cmdlet: the .NET file calls, `[Environment]::SetEnvironmentVariable`, a file object's Delete, MoveTo and CopyTo. */
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
  if (type?.t !== "word" || (type.kind !== "type" && type.kind !== "var") || method?.t !== "word" || method.kind !== "member" || call?.t !== "word" || call.kind !== "group") return undefined;
  const only = call.word.subs[0]?.units;
  const args = only?.length === 1 && only[0]?.kind === "pipeline" && only[0].stages.length === 1 ? only[0].stages[0]?.argv : only?.length === 0 || call.word.subs.length === 0 ? [] : undefined;
  if (!args) return undefined;
  if (type.kind === "var") return itemCall(type.word, method.word.text, args);
  return dotnetFileCall(type.word.text, method.word.text, args) ?? environmentCall(type.word.text, method.word.text, args);
}

/**
 * A file or folder object's own methods (`$_.Delete()`, `$d.Delete($true)`, `$f.MoveTo(x)`,
 * `$f.CopyTo(x)`, as FileInfo and DirectoryInfo have them) are Remove-Item (`-Recurse` given
 * `$true`), Move-Item and Copy-Item of the item the variable holds.
 */
function itemCall(item: Word, method: string, args: readonly Word[]): Cmd | undefined {
  const param = (text: string): Word => ({ ...literalWord(text), param: true });
  const cmd = (argv: Word[]): Cmd => ({ kind: "cmd", argv, redirects: [] });
  switch (method.toLowerCase()) {
    case ".delete": {
      const recursive = args.some((w) => /^\$true$/i.test(w.text) || (w.dynamic && w.text !== "" && !/^\$false$/i.test(w.text)));
      return cmd([literalWord("Remove-Item"), item, ...(recursive ? [param("-Recurse")] : [])]);
    }
    case ".moveto":
      return args[0] ? cmd([literalWord("Move-Item"), item, args[0]]) : undefined;
    case ".copyto":
      return args[0] ? cmd([literalWord("Copy-Item"), item, args[0]]) : undefined;
    default:
      return undefined;
  }
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

import type { Cmd, Script, Word } from "./ir.js";
import { ENVIRONMENT, type ContentsFed } from "./data-flow.js";
import { commandName } from "./downloads.js";
import { operands } from "./match-rule.js";
import { providerPaths } from "./paths.js";
import { isPrinted, printedCredential, printedVariable, type PrintedWord } from "./printed-credentials.js";
import { WEB_CMDLETS, webCmdletRequest } from "./web-cmdlets.js";

/** Cmdlets whose output tells about items (names, sizes, hashes, counts) without their contents: what they read goes no further. */
const SUMMARIES = new Set([
  "get-childitem", "get-item", "get-itemproperty", "test-path", "resolve-path", "convert-path", "split-path", "join-path",
  "measure-object", "get-filehash",
]);

/** Cmdlets that pass on their arguments, not the contents of items they name. */
const PRINT_ARGUMENTS = new Set(["write-output", "write-host"]);

/**
 * What reaches a PowerShell command, as {@link contentsFed} finds it for bash: `stdin`, the objects
 * its pipeline gives it (a web cmdlet's -Body takes them); `arguments`, what the `(…)` and `$(…)` in
 * its arguments produce (`-Body (Get-Content F)`) and, for a web cmdlet, the file `-InFile` sends.
 * Paths are as PowerShell reads them (`~` is home in a cmdlet's path); a listing of the env: drive
 * or `[Environment]::GetEnvironmentVariables()` is the whole environment, and what a native command
 * that prints a credential prints is that credential (`gh auth token | irm …`; `printed-credentials.ts`).
 * So is a variable of the environment whose name marks it a secret (`secret-names.ts`): `$env:NAME`
 * (which the evaluator carries as a held `printenv NAME`, `Word.held`), `Get-Content Env:\NAME`,
 * `Get-Item Env:NAME` and `[Environment]::GetEnvironmentVariable('NAME')`.
 */
export function cmdletContentsFed(name: string, args: readonly Word[], upstream: readonly Cmd[], home: string): ContentsFed {
  const inFile = WEB_CMDLETS.has(name) ? webCmdletRequest(args).inFile : undefined;
  const fromArgs = args.flatMap((arg) => subContents(arg, home).map((w) => (isPrinted(w) ? { ...w, from: arg } : w)));
  return { stdin: pipelineContents(upstream, home), arguments: [...fromArgs, ...(inFile ? [inFile] : [])] };
}

/** The items whose contents come out of the last stage of a pipeline, followed back while each stage passes its input on. */
function pipelineContents(stages: readonly Cmd[], home: string): Word[] {
  const out: Word[] = [];
  for (let i = stages.length - 1; i >= 0; i--) {
    const stage = stages[i];
    if (!stage) break;
    if (stage.expression) {
      if (callsGetEnvironmentVariables(stage.argv)) out.push(ENVIRONMENT);
      const read = environmentVariableCall(stage.argv);
      if (read) out.push(read);
      out.push(...stage.argv.flatMap((w) => subContents(w, home)));
      continue;
    }
    const first = stage.argv[0];
    const name = first && !first.dynamic ? commandName(first.text, true) : "";
    const args = providerPaths(stage.argv.slice(1), home);
    if (listsEnvironmentDrive(name, args)) out.push(ENVIRONMENT);
    const printed = environmentVariableRead(name, args) ?? printedCredential(name, args, true);
    if (printed) out.push(printed);
    if (SUMMARIES.has(name)) break;
    out.push(...args.flatMap((w) => subContents(w, home)));
    if (!PRINT_ARGUMENTS.has(name)) out.push(...operands({ name, args, powershell: true }).filter((w) => !w.dynamic));
  }
  return out;
}

/** What the `(…)` and `$(…)` in a word produce, and what the variables in it hold (`Word.held`: `$env:OPENAI_API_KEY`, `$k` assigned it). */
function subContents(word: Word, home: string): Word[] {
  return [...word.subs, ...(word.held ?? [])].flatMap((script: Script) => script.units.flatMap((unit) => (unit.kind === "pipeline" ? pipelineContents(unit.stages, home) : [])));
}

/** The env: drive itself, or all of it (`env:`, `Env:\`, `env:/`, `env:*`), not one variable (`env:PATH`). */
const ENV_DRIVE = /^env:[\\/]?\*?$/i;

/**
 * Whether a cmdlet lists every variable of the env: drive, as `env` does in bash: Get-ChildItem
 * (`gci`, `dir`, `ls`) of the drive, not with `-Name` (names only), or Get-Item of all of it (`env:*`).
 */
function listsEnvironmentDrive(name: string, args: Word[]): boolean {
  const paths = operands({ name, args, powershell: true }).filter((w) => !w.dynamic);
  if (name === "get-childitem") {
    const namesOnly = args.some((w) => w.param && w.text.length >= 2 && "-name".startsWith(w.text.toLowerCase()));
    return !namesOnly && paths.some((w) => ENV_DRIVE.test(w.text));
  }
  return name === "get-item" && paths.some((w) => /^env:[\\/]?\*$/i.test(w.text));
}

/** `[Environment]::GetEnvironmentVariables()` (`[System.Environment]`), with or without a scope: every variable, as a dictionary. */
function callsGetEnvironmentVariables(argv: readonly Word[]): boolean {
  const [type, member] = argv;
  return !!type && !!member && !type.dynamic && /^\[(system\.)?environment\]$/i.test(type.text) && member.member === true && /^::getenvironmentvariables$/i.test(member.text);
}

/**
 * What a cmdlet reads of one secret's variable of the environment: Get-Content or Get-Item of
 * `Env:NAME` (`Env:\NAME`, `env:/NAME`). `printenv NAME`, which a `$env:NAME` the line does not
 * assign holds (`Word.held`, see `secret-names.ts`), is read with the commands that print a credential.
 */
function environmentVariableRead(name: string, args: Word[]): PrintedWord | undefined {
  if (name !== "get-content" && name !== "get-item") return undefined;
  const variable = operands({ name, args, powershell: true }).map((w) => (w.dynamic ? undefined : /^env:[\\/]?([A-Za-z_][A-Za-z0-9_]*)$/i.exec(w.text)?.[1])).find((n) => n !== undefined);
  return variable ? printedVariable(variable, true) : undefined;
}

/** `[Environment]::GetEnvironmentVariable('NAME')` (`[System.Environment]`, with or without a scope): that variable. */
function environmentVariableCall(argv: readonly Word[]): PrintedWord | undefined {
  const [type, member, call] = argv;
  if (!type || !member || !call || type.dynamic || !/^\[(system\.)?environment\]$/i.test(type.text) || member.member !== true || !/^::getenvironmentvariable$/i.test(member.text)) return undefined;
  const only = call.subs[0]?.units[0];
  const first = only?.kind === "pipeline" ? only.stages[0]?.argv[0] : undefined;
  return first && !first.dynamic ? printedVariable(first.text.replace(/,$/, ""), true) : undefined;
}

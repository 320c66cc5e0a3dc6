import type { Cmd, Word } from "./ir.js";
import { RUN_TIME } from "./ir.js";

type Shape = "delete-tree" | "delete-file" | "write" | "append" | "copy" | "copy-tree" | "move";

/**
 * .NET static methods that delete, write, copy or move files, by `type::method` in lower case
 * (without `System.` and `Async`): each is rated as the cmdlet it stands for.
 */
const DOTNET_FILE_CALLS: Readonly<Record<string, Shape>> = {
  "io.directory::delete": "delete-tree",
  "io.file::delete": "delete-file",
  "microsoft.visualbasic.fileio.filesystem::deletedirectory": "delete-tree",
  "microsoft.visualbasic.fileio.filesystem::deletefile": "delete-file",
  "io.file::writealltext": "write",
  "io.file::writeallbytes": "write",
  "io.file::writealllines": "write",
  "io.file::create": "write",
  "io.file::createtext": "write",
  "io.file::openwrite": "write",
  "io.file::appendalltext": "append",
  "io.file::appendalllines": "append",
  "io.file::appendtext": "append",
  "io.file::copy": "copy",
  "io.file::move": "move",
  "io.file::replace": "move",
  "io.directory::move": "move",
  "microsoft.visualbasic.fileio.filesystem::writealltext": "write",
  "microsoft.visualbasic.fileio.filesystem::writeallbytes": "write",
  "microsoft.visualbasic.fileio.filesystem::copyfile": "copy",
  "microsoft.visualbasic.fileio.filesystem::copydirectory": "copy-tree",
  "microsoft.visualbasic.fileio.filesystem::movefile": "move",
  "microsoft.visualbasic.fileio.filesystem::movedirectory": "move",
};

const word = (text: string): Word => ({ text, dynamic: false, glob: false, subs: [] });
const param = (text: string): Word => ({ ...word(text), param: true });
const isTrue = (w: Word): boolean => /^(\$?true|1)$/i.test(w.text) || w.vars?.[0] === "true";

/**
 * The text a write call's second argument gives, as one word: known only where it is one plain
 * value or variable with no more words after it than an encoding or VisualBasic's append flag. An expression
 * (`'a' + 'b'`), a cast (`[string[]](…)`) or a method's result is only known at run time; its
 * substitutions stay, so a download in it is still seen.
 */
function writtenValue(value: Word, rest: readonly Word[]): Word {
  // A lone variable (`$c`) is filled in later, as Set-Content's value would be.
  const variable = value.text === RUN_TIME && typeof value.vars?.[0] === "string";
  const plain = (!value.dynamic || variable) && value.subs.length === 0 && !value.text.startsWith("[") && !value.member;
  const flags = rest.length === 0 || (rest.length === 1 && rest[0] !== undefined && (isTrue(rest[0]) || /^(\$?false|0)$/i.test(rest[0].text) || rest[0].vars?.[0] === "false" || /encoding/i.test(rest[0].text)));
  if (plain && flags) return value;
  return { text: RUN_TIME, dynamic: true, glob: false, subs: [...value.subs, ...rest.flatMap((w) => w.subs)], vars: [null] };
}

/**
 * `[IO.File]::WriteAllText($PROFILE, $text)` is `Set-Content -Path $PROFILE -Value $text`,
 * `[IO.File]::Copy($a, $b, $true)` is `Copy-Item -Path $a -Destination $b -Force`,
 * `[IO.Directory]::Delete($path, $true)` is `Remove-Item $path -Recurse -Force`, and so on.
 * `type` is the type as written (`[System.IO.File]`), `method` with its `::`. Undefined for any other call.
 */
export function dotnetFileCall(type: string, method: string, args: readonly Word[]): Cmd | undefined {
  const name = method.toLowerCase().replace(/async$/, "");
  const shape = DOTNET_FILE_CALLS[`${type.slice(1, -1).toLowerCase().replace(/^system\./, "")}${name}`];
  const [first, second, ...rest] = args;
  if (!shape || !first) return undefined;
  const cmd = (cmdlet: string, ...argv: Word[]): Cmd => ({ kind: "cmd", argv: [word(cmdlet), ...argv], redirects: [] });
  switch (shape) {
    case "delete-tree": {
      // Directory.Delete(path, true) and DeleteDirectory(path, DeleteDirectoryOption.DeleteAllContents) empty the folder first.
      const recurse = args.slice(1).some((w) => isTrue(w) || /deleteallcontents/i.test(w.text));
      return cmd("Remove-Item", first, ...(recurse ? [param("-Recurse")] : []), param("-Force"));
    }
    case "delete-file":
      return cmd("Remove-Item", first, param("-Force"));
    case "write":
    case "append": {
      // VisualBasic's WriteAllText(file, text, append) appends when its last argument is true.
      const append = shape === "append" || (name === "::writealltext" && rest.some(isTrue));
      const value = second ? [param("-Value"), writtenValue(second, rest)] : [];
      return cmd(append ? "Add-Content" : "Set-Content", param("-Path"), first, ...value);
    }
    case "copy":
    case "copy-tree":
    case "move": {
      if (!second) return undefined;
      const force = rest.some(isTrue) ? [param("-Force")] : [];
      const recurse = shape === "copy-tree" ? [param("-Recurse")] : [];
      return cmd(shape === "move" ? "Move-Item" : "Copy-Item", param("-Path"), first, param("-Destination"), second, ...recurse, ...force);
    }
  }
}

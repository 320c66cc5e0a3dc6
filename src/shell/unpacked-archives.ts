import path from "node:path";
import { literalWord, type Word } from "./ir.js";
import { tarWords } from "./archive-files.js";
import { TAR } from "./rules.js";
import { bind, type CmdletSpec } from "./command-writes.js";

/** An archive a command unpacks (undefined: its standard input) and the folder its files go to, relative to the working directory or absolute. */
export interface Unpacking {
  archive: Word | undefined;
  folder: Word;
}

const SEVEN_ZIP = ["7z", "7za", "7zz"];

/** The archive `tar -x`, `unzip`, `7z x` or PowerShell's Expand-Archive unpacks and where to; undefined for any other command, and for listing, testing or printing one. */
export function unpacking(name: string, args: readonly Word[]): Unpacking | undefined {
  if (TAR.includes(name)) return tarUnpacking(args);
  if (name === "unzip") return unzipUnpacking(args);
  if (SEVEN_ZIP.includes(name)) return sevenZipUnpacking(args);
  if (name === "expand-archive") return expandArchiveUnpacking(args);
  return undefined;
}

/** tar's ways of writing the files it unpacks elsewhere than to files: the standard output, a command. */
const TAR_NOT_TO_FILES = ["O", "--to-stdout", "--to-command"];

/**
 * `tar xzf A`, `tar -x -f A -C DIR`, `tar --extract --file=A --directory=DIR`: the archive (standard
 * input without `-f`, or with `-f -`) and the folder, each `-C` taken from the one before it.
 */
function tarUnpacking(args: readonly Word[]): Unpacking | undefined {
  const { options, archive, dirs } = tarWords(args);
  if (!["x", "--extract", "--get"].some((o) => options.has(o)) || TAR_NOT_TO_FILES.some((o) => options.has(o))) return undefined;
  const stdin = archive === undefined || (!archive.dynamic && (archive.text === "-" || archive.text === "/dev/stdin"));
  return { archive: stdin ? undefined : archive, folder: dirs.reduce(within, literalWord(".")) };
}

/** unzip's options that take a value, and those that only list, test or print what an archive holds. */
const UNZIP_VALUES = ["-d", "-P"];
const UNZIP_NOT_TO_FILES = /^-[A-Za-z]*[lvtzZpc]/;

/** `unzip [-o] A [MEMBER…] [-x MEMBER…] [-d DIR]`: the archive, its first operand, and `-d DIR` (`-dDIR`). */
function unzipUnpacking(args: readonly Word[]): Unpacking | undefined {
  let archive: Word | undefined;
  let folder = literalWord(".");
  for (let i = 0; i < args.length; i++) {
    const w = args[i]!;
    if (UNZIP_VALUES.includes(w.text)) {
      const value = args[++i];
      if (w.text === "-d" && value) folder = value;
    } else if (/^-d./.test(w.text)) folder = { ...w, text: w.text.slice(2) };
    else if (!w.dynamic && UNZIP_NOT_TO_FILES.test(w.text)) return undefined;
    else if (!w.text.startsWith("-")) archive ??= w;
  }
  return archive ? { archive, folder } : undefined;
}

/** `7z x A [-oDIR]`, `7z e A`: the archive after the command, and the folder `-o` names (7-Zip takes its value in the same word). */
function sevenZipUnpacking(args: readonly Word[]): Unpacking | undefined {
  const [command, archive] = args.filter((w) => !w.text.startsWith("-"));
  if ((command?.text !== "x" && command?.text !== "e") || !archive || args.some((w) => w.text === "-so")) return undefined;
  const out = args.findLast((w) => w.text.startsWith("-o"));
  return { archive, folder: out ? { ...out, text: out.text.slice(2) } : literalWord(".") };
}

const EXPAND_ARCHIVE: CmdletSpec = { positional: ["path", "destinationpath"], values: ["literalpath"], switches: ["force", "passthru", "whatif", "confirm"], aliases: { pspath: "literalpath", lp: "literalpath" } };

/**
 * `Expand-Archive [-Path] A [[-DestinationPath] DIR]` (`-LiteralPath A`): without a destination it
 * makes a folder named after the archive in the current location (`.\x` for x.zip); under -WhatIf
 * it unpacks nothing.
 */
function expandArchiveUnpacking(args: readonly Word[]): Unpacking | undefined {
  const bound = bind(EXPAND_ARCHIVE, args);
  const archive = bound?.get("path")?.[0] ?? bound?.get("literalpath")?.[0];
  if (!bound || !archive || bound.has("whatif")) return undefined;
  const given = bound.get("destinationpath")?.[0];
  if (given) return { archive, folder: given };
  const named = path.posix.parse(archive.text.replace(/\\/g, "/")).name;
  return { archive, folder: archive.dynamic || named === "" ? { ...archive, dynamic: true } : literalWord(named) };
}

/** `dir` taken from `base`, as `-C a -C b` goes to a/b; one only known at run time stays so. */
function within(base: Word, dir: Word): Word {
  if (dir.dynamic || path.posix.isAbsolute(dir.text)) return dir;
  return base.dynamic ? base : literalWord(path.posix.join(base.text, dir.text));
}

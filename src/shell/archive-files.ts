import path from "node:path";
import type { Word } from "./ir.js";
import { literalWord } from "./ir.js";
import { TAR } from "./rules.js";

/** An archive a command writes, the files it puts in it, and whether it adds to one already there (`tar -r`). */
export interface ArchiveMade {
  archive: Word;
  sources: Word[];
  append: boolean;
}

const SEVEN_ZIP = ["7z", "7za", "7zz"];

/** The archive `tar -c`, `zip` or `7z a` writes, read from its words (see the readers below). */
export function archiveMade(name: string, args: readonly Word[]): ArchiveMade | undefined {
  if (TAR.includes(name)) return tarArchive(args);
  if (name === "zip") return zipArchive(args);
  if (SEVEN_ZIP.includes(name)) return sevenZipArchive(args);
  return undefined;
}

/** tar's old-style key: a first word of letters without a dash that names what tar does (`xzf`, `czf`, `tvf`). */
const TAR_KEY = /^[A-Za-z]*[Acdrtux][A-Za-z]*$/;

/** The letters of tar's old-style key (`tar czf A FILE…`: `czf`), the options it bundles, or undefined where the first word is none. */
export function tarKey(args: readonly Word[]): string | undefined {
  const key = args[0];
  return key && !key.dynamic && TAR_KEY.test(key.text) ? key.text : undefined;
}

/** `tar`'s words with its old-style key written as the options it bundles (`tar xzf F` as `tar -xzf F`), for the rules; other commands' as they are. */
export function tarKeyAsOptions(name: string, args: Word[]): Word[] {
  const key = TAR.includes(name) ? tarKey(args) : undefined;
  return key === undefined ? args : [{ ...args[0]!, text: `-${key}` }, ...args.slice(1)];
}

/** tar's letters and short options that take a value, the next word (or, bundled with a dash, the rest of the word). */
const TAR_VALUE_LETTERS = "fbCTXgKLNV";
const TAR_LONG_VALUES = ["--file", "--directory", "--exclude", "--files-from", "--exclude-from", "--transform", "--owner", "--group", "--mode", "--use-compress-program", "--newer", "--after-date"];

/**
 * What tar's words say: the letters and long options given (`x`, `--extract`), the archive (`-f`),
 * each `-C DIR` (`--directory`) in order, and the operands, each found from the `-C` before it. In
 * an old-style key (`tar cfC A DIR …`) each letter that takes a value takes the next word; after a
 * dash the rest of the word, if any (`-cfA`: the archive `A`).
 */
export interface TarWords {
  options: ReadonlySet<string>;
  archive: Word | undefined;
  dirs: Word[];
  operands: Word[];
}

/** Reads tar's words (see {@link TarWords}); for the archive it writes ({@link tarArchive}) and the folder it unpacks into (`unpacked-archives.ts`). */
export function tarWords(args: readonly Word[]): TarWords {
  const options = new Set<string>();
  let archive: Word | undefined;
  let dir: string | undefined;
  const dirs: Word[] = [];
  const operands: Word[] = [];
  const key = tarKey(args);
  const take = (option: string, value: Word | undefined): void => {
    if (option === "f" || option === "--file") archive = value;
    if ((option === "C" || option === "--directory") && value) {
      dir = value.text;
      dirs.push(value);
    }
  };
  for (let i = 0; i < args.length; i++) {
    const w = args[i]!;
    const text = w.text;
    const oldStyle = i === 0 && key !== undefined;
    if (w.dynamic) operands.push(w);
    else if (oldStyle || /^-[A-Za-z]/.test(text)) {
      const letters = oldStyle ? text : text.slice(1);
      for (let k = 0; k < letters.length; k++) {
        const c = letters[k]!;
        options.add(c);
        if (!TAR_VALUE_LETTERS.includes(c)) continue;
        if (!oldStyle && k + 1 < letters.length) {
          take(c, { ...w, text: letters.slice(k + 1) });
          break;
        }
        take(c, args[++i]);
      }
    } else if (text.startsWith("--")) {
      const [option = "", value] = text.split(/=(.*)/s);
      options.add(option);
      if (TAR_LONG_VALUES.includes(option)) take(option, value !== undefined ? { ...w, text: value } : args[++i]);
    } else operands.push(dir && !path.posix.isAbsolute(text) ? literalWord(path.posix.join(dir, text)) : w);
  }
  return { options, archive, dirs, operands };
}

/**
 * `tar czf A FILE…`, `tar -c -f A FILE…`, `tar --create --file=A FILE…`: the archive tar creates,
 * or adds to (`-r`, `-u`, `-A` and their long names), and the files put in it (found from `-C DIR`).
 */
export function tarArchive(args: readonly Word[]): ArchiveMade | undefined {
  const { options, archive, operands } = tarWords(args);
  const create = options.has("c") || options.has("--create");
  const append = ["r", "A", "u", "--append", "--update", "--catenate", "--concatenate"].some((o) => options.has(o));
  return (create || append) && archive ? { archive, sources: operands, append: append && !create } : undefined;
}

/** zip's options that take a value. */
const ZIP_VALUE_OPTIONS = ["-P", "--password", "-b", "-n", "-t", "-tt", "-O", "--output-file"];

/**
 * `zip [-r] A.zip FILE…`: the archive and the files put in it, up to `-x` or `-i` and the patterns
 * after them; with `-O OUT` (`--output-file`) zip reads A and writes OUT. As zip names it, an archive
 * whose last part has no dot gets `.zip` (`zip /etc/passwd a` writes /etc/passwd.zip; `zip ~/.bashrc a`
 * writes ~/.bashrc).
 */
export function zipArchive(args: readonly Word[]): ArchiveMade | undefined {
  const ops: Word[] = [];
  let out: Word | undefined;
  for (let i = 0; i < args.length; i++) {
    const w = args[i]!;
    if (w.text === "-x" || w.text === "-i" || w.text === "--exclude" || w.text === "--include") break;
    if (w.text === "-O" || w.text === "--output-file") out = args[i + 1];
    if (ZIP_VALUE_OPTIONS.includes(w.text)) i++;
    else if (!w.text.startsWith("-")) ops.push(w);
  }
  const [archive, ...sources] = ops;
  const written = out ?? archive;
  return written ? { archive: withExtension(written, ".zip"), sources, append: false } : undefined;
}

/** `7z a A FILE…`, `7z u A FILE…`: the archive (with `.7z` where its last part has no dot, as 7-Zip adds) and the files put in it. */
export function sevenZipArchive(args: readonly Word[]): ArchiveMade | undefined {
  const ops = args.filter((w) => !w.text.startsWith("-"));
  const [command, archive, ...sources] = ops;
  return (command?.text === "a" || command?.text === "u") && archive ? { archive: withExtension(archive, ".7z"), sources, append: false } : undefined;
}

/** `name` with `ext` added where its last part has no dot. */
function withExtension(name: Word, ext: string): Word {
  const base = name.text.slice(name.text.lastIndexOf("/") + 1);
  return name.text === "-" || base.includes(".") ? name : { ...name, text: `${name.text}${ext}` };
}

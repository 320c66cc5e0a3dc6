/**
 * Reads the file writes, copies and moves of inline code that the call table alone does not: Python's
 * `open`/`os.open` with a mode that may write, a `Path` written through, Ruby's `File.open`, Lua's `io.open`
 * and `io.output`, the two paths of a copy or move, and Perl's and Ruby's opens of a pipe, which run a command.
 */

import { HOME_MARK, type InlineAction, type InlineLanguage } from "./inline-action.js";
import { callArguments, callEnd, insideText, readString, readTerm } from "./inline-strings.js";

/**
 * `shutil.copy(src, dst)`, `shutil.move`, `os.rename`, `FileUtils.cp`, `FileUtils.mv`, `fs.copyFileSync`,
 * `fs.renameSync`, … with both paths read whole are `cp` and `mv` of them (`cp -r` for a tree, and for Node's
 * `fs.cpSync` with `recursive: true` in its options); with only the target read, a write of it; with
 * neither, a write of a file named at run time (a move from a path read whole also takes that path away).
 */
export function copyOrMove(kind: "copy" | "copy-tree" | "cp-options" | "move", code: string, i: number, language: InlineLanguage, bare: boolean): InlineAction[] {
  const args = callArguments(code, i, bare);
  const positional = args.filter((a) => a.keyword === undefined);
  const path = (arg: { start: number; end: number } | undefined): string | undefined => {
    const s = arg && readString(code, arg.start, language);
    return s?.exact && s.end === arg?.end ? s.value : undefined;
  };
  const from = path(args.find((a) => a.keyword === "src") ?? positional[0]);
  const to = path(args.find((a) => a.keyword === "dst") ?? positional[1]);
  if (to === undefined) return kind === "move" && from !== undefined ? [{ kind: "remove-file", path: from }, { kind: "write" }] : [{ kind: "write" }];
  if (from === undefined) return [{ kind: "write", path: to }];
  const options = positional[2] && code.slice(positional[2].start, positional[2].end);
  const tree = kind === "copy-tree" || (kind === "cp-options" && /\brecursive\s*:\s*true\b/.test(options ?? ""));
  return [{ kind: "argv", argv: kind === "move" ? ["mv", "--", from, to] : tree ? ["cp", "-r", "--", from, to] : ["cp", "--", from, to] }];
}

/** A write of the path in `code` from `start` to `end`: that path when it is read whole, else a file named at run time. */
function writeOf(code: string, start: number | undefined, end: number | undefined, language: InlineLanguage): InlineAction {
  const path = start === undefined ? undefined : readString(code, start, language);
  return path?.exact && path.end === end ? { kind: "write", path: path.value } : { kind: "write" };
}

/**
 * Whether the mode (or flags) argument may write: a literal, read whole, that writes (`'w'`, `'a'`, `'r+'`,
 * Python's `'x'`), flag constants that open for writing (`os.O_WRONLY|os.O_CREAT`, `File::RDWR`), or a mode
 * only known at run time (`sys.argv[2]`, `m`), which is rated as the write it may be. No mode only reads.
 */
function writingMode(code: string, arg: { start: number; end: number } | undefined, language: InlineLanguage): boolean {
  if (!arg || arg.end <= arg.start) return false;
  const mode = readString(code, arg.start, language);
  if (mode?.exact && mode.end === arg.end) return (language === "python" ? /[wax+]/ : /[wa+]/).test(mode.value);
  return openFlags(code.slice(arg.start, arg.end)) ?? true;
}

/** Whether flags made of constants (`os.O_WRONLY | os.O_CREAT`, `File::RDONLY`, `0`) open for writing; undefined for anything else. */
function openFlags(text: string): boolean | undefined {
  let writes = false;
  for (const part of text.replace(/^\((.*)\)$/s, "$1").split("|")) {
    const name = /^\s*(?:os\.O_|O_|(?:File|IO|File::Constants)::)([A-Z]+)\s*$/.exec(part)?.[1] ?? (/^\s*0\s*$/.test(part) ? "RDONLY" : undefined);
    if (name === undefined) return undefined;
    writes ||= /^(?:WRONLY|RDWR|APPEND|TRUNC|CREAT)$/.test(name);
  }
  return writes;
}

/**
 * Python: `open(path, mode)` (and `io.open`, `codecs.open`, `gzip.open`, …) writes when the mode (second argument
 * or `mode=`) may write (see {@link writingMode}), and `os.open(path, flags)` when its flags may; a path that is
 * not read whole (`sys.argv[1]`, `p`, `'/tmp/' + name`) is a file named at run time. A `Path(…)` (or
 * `(Path… / …)`, or a name given one earlier, `p = Path(…)`) followed by `.write_text(`, `.write_bytes(` or
 * `.open(mode)` writes that path. `os.walk(top)` with `chmod` changes permissions of a whole tree.
 */
export function pythonExtras(code: string, out: InlineAction[]): void {
  for (const m of code.matchAll(/(?<![\w.])(?:(?:io|codecs|gzip|bz2|lzma)\.)?open\s*\(/g)) {
    const args = callArguments(code, m.index + m[0].length);
    const positional = args.filter((a) => a.keyword === undefined);
    const pathArg = args.find((a) => a.keyword === "file" || a.keyword === "filename") ?? positional[0];
    if (!writingMode(code, args.find((a) => a.keyword === "mode") ?? positional[1], "python")) continue;
    out.push(writeOf(code, pathArg?.start, pathArg?.end, "python"));
  }
  for (const m of code.matchAll(/(?<![\w.])os\.open\s*\(/g)) {
    const args = callArguments(code, m.index + m[0].length);
    const positional = args.filter((a) => a.keyword === undefined);
    const pathArg = args.find((a) => a.keyword === "path") ?? positional[0];
    if (!writingMode(code, args.find((a) => a.keyword === "flags") ?? positional[1], "python")) continue;
    out.push(writeOf(code, pathArg?.start, pathArg?.end, "python"));
  }
  // The receiver is the call `Path(…)` itself, or the one argument of parentheses around a Path expression.
  for (const m of code.matchAll(/(?<![\w.])(?:pathlib\.)?Path\s*\(|\((?=\s*(?:pathlib\.)?Path\b)/g)) {
    const inner = m.index + m[0].length;
    const call = m[0] !== "(";
    const arg = call ? undefined : callArguments(code, inner)[0];
    const end = callEnd(code, inner);
    if (end === undefined || !pathMethodWrites(code, end)) continue;
    // The call alone (readString would see the method after it as a cut of the string).
    const path = call ? readTerm(code, m.index, "python") : undefined;
    out.push(!call ? writeOf(code, arg?.start, arg?.end, "python") : path?.exact && path.end === end ? { kind: "write", path: path.value } : { kind: "write" });
  }
  pathNames(code, out);
  const walk = /os\.walk\s*\(\s*(["'])([^"']*)\1/.exec(code);
  if (walk && /\bchmod\s*\(|\bchown\s*\(/.test(code)) out.push({ kind: "chmod-tree", path: walk[2] ?? "" });
}

/** Whether the method called at `at` on a path (`.write_text(`, `.write_bytes(`, `.open(mode)`) writes it. */
function pathMethodWrites(code: string, at: number): boolean {
  const method = /^\s*\.\s*(write_text|write_bytes|open)\s*\(/.exec(code.slice(at, at + 40));
  if (!method) return false;
  if (method[1] !== "open") return true;
  const args = callArguments(code, at + method[0].length);
  return writingMode(code, args.find((a) => a.keyword === "mode") ?? args.find((a) => a.keyword === undefined), "python");
}

/**
 * A name given a path in a statement of its own (`p = Path('/etc/hosts')`, `p = Path.home() / '.bashrc'`), then
 * written through (`p.write_text(…)`) before anything gives the name another value: a write of that path, or
 * of a file named at run time when the path is not read whole (`p = Path(sys.argv[1])`).
 */
function pathNames(code: string, out: InlineAction[]): void {
  for (const m of code.matchAll(/(?<=(?:^|[;\n])[ \t]*)([A-Za-z_]\w*)[ \t]*=(?!=)[ \t]*(?=\(?\s*(?:pathlib\.)?Path\b)/g)) {
    const name = m[1] ?? "";
    const value = readString(code, m.index + m[0].length, "python");
    const alone = value !== undefined && /^[ \t]*(?:[;\n#]|$)/.test(code.slice(value.end));
    const path = alone && value.exact ? value.value : undefined;
    const from = value?.end ?? m.index + m[0].length;
    // Any later binding of the name (`p = …`, `p += …`, `for p in`, `as p`, `del p`) ends what is known of it.
    const rebound = new RegExp(`(?<![\\w.])${name}\\s*(?:[-+*/%&|^@:]|//|\\*\\*|<<|>>)?=(?!=)|\\b(?:for|as|del|global|nonlocal|def|class|import)\\b[^;\\n]*?(?<![\\w.])${name}\\b`).exec(code.slice(from));
    const until = rebound ? from + rebound.index : code.length;
    for (const use of code.slice(from, until).matchAll(new RegExp(`(?<![\\w.])${name}(?=\\s*\\.)`, "g"))) {
      if (pathMethodWrites(code, from + use.index + use[0].length)) out.push(path !== undefined ? { kind: "write", path } : { kind: "write" });
    }
  }
}

/**
 * Ruby: `File.open(path, mode)` (or `File.new`, with or without parentheses) writes when the mode (second
 * argument or `mode:`) may write (see {@link writingMode}: `"w"`, `File::WRONLY|File::CREAT`, a mode only known
 * at run time). Other keyword arguments (`encoding:`) and a block argument (`&:read`) are not the mode.
 */
export function rubyOpens(code: string, out: InlineAction[]): void {
  for (const m of code.matchAll(/(?<![\w$])File\.(?:open|new)(?:\s*\(|[ \t]+(?!(?:do|if|unless|and|or|then|rescue)\b)(?=["'A-Za-z_$@]))/g)) {
    const args = callArguments(code, m.index + m[0].length, !m[0].endsWith("("));
    const named = args.find((a) => /^mode:\s*/.test(code.slice(a.start, a.end)));
    const positional = args.filter((a) => !/^(?:[A-Za-z_]\w*:(?!:)|&|\*)/.test(code.slice(a.start, a.end)));
    const modeArg = named ? { start: named.start + (/^mode:\s*/.exec(code.slice(named.start))?.[0].length ?? 0), end: named.end } : positional[1];
    if (!writingMode(code, modeArg, "ruby")) continue;
    out.push(writeOf(code, positional[0]?.start, positional[0]?.end, "ruby"));
  }
}

/**
 * Lua: `io.open(path, mode)` writes when the mode may write (see {@link writingMode}: `"w"`, `"a"`, `"r+"`, a mode only
 * known at run time), and `io.output(path)` opens the path for writing. `io.output()`, and `io.output(f)` of a handle
 * (a name: a file handle more often than a path), write no file of their own; `io.open(path)` only reads.
 */
export function luaOpens(code: string, out: InlineAction[]): void {
  for (const m of code.matchAll(/(?<![\w.:])io\.(open|output)\s*\(/g)) {
    if (insideText(code, m.index, "lua")) continue;
    const args = callArguments(code, m.index + m[0].length);
    const path = args[0];
    if (m[1] === "open" ? !writingMode(code, args[1], "lua") : !path || readString(code, path.start, "lua") === undefined) continue;
    out.push(writeOf(code, path?.start, path?.end, "lua"));
  }
}

/**
 * Opens of a pipe run a command: Perl's `open(F, "|cmd")` and `open(F, "cmd|")` (two arguments, with or without
 * parentheses) and `open($f, "-|", …)` or `"|-"` with the command after the mode (one string for the shell, or
 * its words), Ruby's `open("|cmd")` (Kernel's, not `URI.open` or `File.open`) and `IO.read`, `IO.readlines`,
 * `IO.write`, `IO.foreach`, … of `"|cmd"`. A command that is not read whole is one built at run time; `"-|"`
 * alone (Perl) and `"|-"` (Ruby) fork the running program, and a plain file name is no command.
 */
export function pipeOpens(language: "perl" | "ruby", code: string, out: InlineAction[]): void {
  const opens = language === "perl" ? /(?<![\w$:>])open(?:\s*\(|\s+(?=[A-Za-z_$]))/g : /(?<![\w$.:])(?:Kernel\.)?open(?:\s*\(|[ \t]+(?=["']))|(?<![\w$.:])IO\.(?:read|readlines|write|binread|binwrite|foreach)(?:\s*\(|[ \t]+(?=["']))/g;
  const whole = (arg: { start: number; end: number } | undefined): { value: string; exact: boolean } | undefined => {
    const s = arg && readString(code, arg.start, language);
    return s && { value: s.value, exact: s.exact && s.end === arg.end };
  };
  const shell = (command: string, exact: boolean): InlineAction => (exact && command.trim() !== "" && !command.includes(HOME_MARK) ? { kind: "shell", command } : { kind: "shell" });
  for (const m of code.matchAll(opens)) {
    if (insideText(code, m.index, language)) continue;
    const args = callArguments(code, m.index + m[0].length, !m[0].endsWith("("));
    if (language === "ruby") {
      const target = whole(args[0]);
      const command = target && /^\s*\|(.*)$/s.exec(target.value)?.[1];
      if (target && command !== undefined && command.trim() !== "-") out.push(shell(command, target.exact));
      continue;
    }
    const [, modeArg, ...words] = args;
    const mode = whole(modeArg);
    if (!mode) continue;
    if (words.length === 0) {
      const command = /^\s*\|(.*)$/s.exec(mode.value)?.[1] ?? /^(.*)\|\s*$/s.exec(mode.value)?.[1];
      if (command !== undefined && command.trim() !== "-") out.push(shell(command, mode.exact));
      continue;
    }
    if (!mode.exact || !/^\s*(?:-\||\|-)/.test(mode.value)) continue;
    const read = words.map(whole);
    const known = read.every((w) => w?.exact === true) ? read.map((w) => w?.value ?? "") : undefined;
    out.push(known === undefined ? { kind: "shell" } : known.length === 1 ? shell(known[0] ?? "", true) : { kind: "argv", argv: known });
  }
}

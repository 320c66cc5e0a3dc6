import path from "node:path";
import { archiveMade } from "./archive-files.js";
import { writtenByCmdlet } from "./command-writes.js";
import type { Word } from "./ir.js";
import { literalWord } from "./ir.js";
import { editedInPlace, operands } from "./match-rule.js";
import { classifyWord, copyDestination, fallbackClass, SHADOWED_COMMANDS, type PathContext } from "./paths.js";
import { COPY_VALUE_OPTIONS, REDIRECT_RULES, RSYNC_VALUE_OPTIONS } from "./rules.js";
import { sedActions, sedScripts } from "./sed-script.js";
import { targetDirectory } from "./target-directory.js";
import { riskRank, type Finding } from "./types.js";

/**
 * The one judgement of writing a path: `> /etc/passwd`, `cp x /etc/passwd`, `tee /etc/passwd`,
 * `dd of=/etc/passwd` and `sed -i … /etc/passwd` all write it, and are rated alike.
 */
export function judgeWrite(op: string, target: Word, paths: PathContext): Finding | undefined {
  // `<>` opens the file for writing too (a socket, `<>/dev/tcp/h/p`, is judged as the network it reaches).
  if ((op.includes("<") && op !== "<>") || /^\d+$/.test(target.text) || target.text === "-") return undefined;
  if (op === "<>" && !target.dynamic && /^\/dev\/(tcp|udp)\//.test(target.text)) return undefined;
  const table = op.includes(">>") ? REDIRECT_RULES.append : REDIRECT_RULES.overwrite;
  const cls = classifyWord(target, paths);
  const fallback = fallbackClass(cls);
  const rule = table[cls] ?? (fallback ? table[fallback] : undefined);
  return rule ? { category: rule.category, risk: rule.risk, detail: rule.detail.replace("{target}", target.text), subject: target.text } : undefined;
}

/**
 * The files a command writes by argument, as a redirection would name them: the destination of
 * cp, mv, install, ln and rsync, tee's files (`-a` appends), dd's `of=`, the files `sed -i`, `gsed -i`
 * and `perl -pi` edit in place (`editedInPlace`), and the archive tar, zip or 7z makes (`tar -r`
 * appends to it; see `archive-files.ts`).
 */
export function writtenByArgument(name: string, args: readonly Word[]): { op: ">" | ">>"; target: Word; redirect?: true }[] {
  const ops = (): Word[] => operands({ name, args: [...args], powershell: false });
  switch (name) {
    // rsync's `-t` keeps times; its destination is the last operand past the options' values.
    case "rsync": {
      const all = operands({ name, args: [...args], powershell: false }, RSYNC_VALUE_OPTIONS);
      const last = all.at(-1);
      return all.length >= 2 && last ? [{ op: ">", target: copyDestination(last) }] : [];
    }
    case "cp": case "mv": case "install": case "ln": {
      const dir = targetDirectory(args);
      // The destination is the last operand past the options' values (`install SRC DEST -m 755`).
      const all = operands({ name, args: [...args], powershell: false }, COPY_VALUE_OPTIONS);
      const last = all.at(-1);
      const target = dir ?? (all.length >= 2 ? last : undefined);
      if (!target) return [];
      // Into a folder, a source keeps its name: `cp ./git ~/.local/bin/` writes ~/.local/bin/git.
      const sources = all.filter((w) => w !== (dir ?? last));
      const named = target.dynamic ? [] : sources.flatMap((w) => (!w.dynamic && SHADOWED_COMMANDS.has(path.posix.basename(w.text)) ? [literalWord(`${target.text.replace(/\/+$/, "")}/${path.posix.basename(w.text)}`)] : []));
      return [{ op: ">", target: copyDestination(target) }, ...named.map((w) => ({ op: ">" as const, target: w }))];
    }
    case "tee": {
      const append = args.some((w) => !w.dynamic && (w.text === "--append" || /^-[A-Za-z]*a/.test(w.text)));
      return ops().map((target) => ({ op: append ? ">>" : ">", target }));
    }
    // What a download saves is what `curl URL > F` writes, judged as that redirection is (`-` is standard output).
    case "curl":
      return optionFiles(args, "o", "--output").map((target) => ({ op: ">", target, redirect: true }));
    case "wget":
      return optionFiles(args, "O", "--output-document").map((target) => ({ op: ">", target, redirect: true }));
    case "dd":
      return args.filter((w) => w.text.startsWith("of=")).map((w) => ({ op: ">", target: { ...w, text: w.text.slice(3) } }));
    case "tar": case "bsdtar": case "gtar": case "zip": case "7z": case "7za": case "7zz": {
      const made = archiveMade(name, args);
      return made ? [{ op: made.append ? ">>" : ">", target: made.archive }] : [];
    }
    // `sort -o F`, `patch -o F`, and the file patch patches (its first operand); `uniq IN OUT`; `sponge F` (`-a` appends).
    case "sort":
      return optionFiles(args, "o", "--output").map((target) => ({ op: ">", target }));
    case "patch": {
      const patched = operands({ name, args: [...args], powershell: false }, PATCH_VALUE_OPTIONS)[0];
      return [...optionFiles(args, "o", "--output"), ...(patched ? [patched] : [])].map((target) => ({ op: ">", target }));
    }
    case "uniq": {
      const out = operands({ name, args: [...args], powershell: false }, ["-f", "-s", "-w", "--skip-fields", "--skip-chars", "--check-chars"])[1];
      return out ? [{ op: ">", target: out }] : [];
    }
    case "sponge": {
      const append = args.some((w) => !w.dynamic && w.text === "-a");
      return ops().map((target) => ({ op: append ? ">>" : ">", target }));
    }
    // find's `-fprint F` (`-fprint0`, `-fprintf F FORMAT`, `-fls F`) truncates F and writes the matches to it.
    case "find":
      return args.flatMap((w, i) => {
        const target = args[i + 1];
        return !w.dynamic && target && ["-fprint", "-fprint0", "-fprintf", "-fls"].includes(w.text) ? [{ op: ">" as const, target }] : [];
      });
    // sed's `w FILE` writes FILE, besides what it edits in place.
    case "sed": case "gsed": {
      const written = sedScripts(args).flatMap((s) => sedActions(s.text).writes.map((file) => ({ op: ">" as const, target: literalWord(file) })));
      return [...written, ...editedInPlace({ name, args: [...args], powershell: false }).map((target) => ({ op: ">" as const, target }))];
    }
    // split's and csplit's pieces are the prefix with a suffix added (`split x /etc/cron.d/a` writes /etc/cron.d/aaa).
    case "split": {
      const prefix = operands({ name, args: [...args], powershell: false }, SPLIT_VALUE_OPTIONS)[1];
      return prefix ? [{ op: ">", target: { ...prefix, text: `${prefix.text}aa` } }] : [];
    }
    case "csplit":
      return optionFiles(args, "f", "--prefix").map((prefix) => ({ op: ">", target: { ...prefix, text: `${prefix.text}00` } }));
    // script's typescript (its first operand) and the logs its options name.
    case "script": {
      const file = operands({ name, args: [...args], powershell: false }, SCRIPT_VALUE_OPTIONS)[0];
      const logs = [["O", "--log-out"], ["B", "--log-io"], ["I", "--log-in"], ["T", "--log-timing"]].flatMap(([short, long]) => optionFiles(args, short ?? "", long ?? ""));
      return [...(file ? [file] : []), ...logs].map((target) => ({ op: ">", target }));
    }
    // sed's, gsed's and perl's files edited in place, read as `IN_PLACE_EDITS` says (`sed -ie`: the suffix `e`).
    default:
      return editedInPlace({ name, args: [...args], powershell: false }).map((target) => ({ op: ">", target }));
  }
}

/** split's and script's options that take the next word as their value. */
const SPLIT_VALUE_OPTIONS: readonly string[] = ["-a", "-b", "-C", "-l", "-n", "-t", "--suffix-length", "--bytes", "--line-bytes", "--lines", "--number", "--separator", "--additional-suffix", "--filter"];
const SCRIPT_VALUE_OPTIONS: readonly string[] = ["-c", "-E", "-I", "-O", "-B", "-T", "-m", "-o", "--command", "--echo", "--log-in", "--log-out", "--log-io", "--log-timing", "--logging-format", "--output-limit"];

/** patch's options that take the next word as their value. */
const PATCH_VALUE_OPTIONS: readonly string[] = ["-p", "-i", "-d", "-D", "-B", "-F", "-z", "-V", "-Y", "-r", "-o", "--input", "--directory", "--ifdef", "--prefix", "--fuzz", "--suffix", "--reject-file", "--output", "--strip"];

/**
 * The values of a short option (`-o F`, `-oF`, at the end of a bundle: `-fsSLo F`) and its long
 * form (`--output F`, `--output=F`), before any `--`.
 */
function optionFiles(args: readonly Word[], short: string, long: string): Word[] {
  const out: Word[] = [];
  for (let i = 0; i < args.length; i++) {
    const w = args[i];
    if (!w || w.dynamic) continue;
    if (w.text === "--") break;
    if (w.text === long) {
      const value = args[i + 1];
      if (value) out.push(value);
      i++;
    } else if (w.text.startsWith(`${long}=`)) out.push({ ...w, text: w.text.slice(long.length + 1) });
    else if (/^-[A-Za-z0-9]+$/.test(w.text) && w.text.includes(short)) {
      const rest = w.text.slice(w.text.indexOf(short) + 1);
      const value = rest === "" ? args[i + 1] : { ...w, text: rest };
      if (value) out.push(value);
      if (rest === "") i++;
    }
  }
  return out;
}

/**
 * Findings for the files a command writes by argument, where writing them is at least high (system
 * files, start-up files) or the file is only known at run time (`cp a "$X/y"` as `> "$X/y"`:
 * moderate); a download saved to a file, as a redirection of it is (any risk).
 */
export function argumentWrites(name: string, args: readonly Word[], paths: PathContext, through?: (target: Word) => Word | undefined): Finding[] {
  const out: Finding[] = [];
  for (const { op, target: named, redirect } of writtenByArgument(name, args)) {
    // A name that is a link the line made (`ln -s /etc/passwd x; cp evil x`) writes the file the link reaches.
    const reached = through?.(named);
    for (const target of reached ? [named, reached] : [named]) {
      const finding = judgeWrite(op, target, paths);
      if (finding && (redirect || reported(finding, target, paths))) out.push(finding);
    }
  }
  return out;
}

/** Whether a copy's or tee's write is reported: at least high, or to a file only known at run time, as the redirection is. */
function reported(finding: Finding, target: Word, paths: PathContext): boolean {
  return riskRank(finding.risk) >= riskRank("high") || classifyWord(target, paths) === "unknown";
}

/**
 * Findings for the files a PowerShell writer writes (see `writtenByCmdlet`): judged as a redirection
 * to them is (`Set-Content F` as `> F`, a path only known at run time too), Tee-Object's as tee's
 * are, and Copy-Item's and Move-Item's destination as cp's and mv's is: the file it names, or the
 * files inside the temporary folder it names, reported where high or only known at run time.
 * `piped` are the paths of the items a pipeline gives a writer that names no file of its own.
 */
export function cmdletWrites(cmdlet: string, args: readonly Word[], paths: PathContext, piped?: readonly Word[]): Finding[] {
  const out: Finding[] = [];
  for (const { op, target: named, tee, copy } of cmdlet === "tee" ? powershellTee(args, piped) : writtenByCmdlet(cmdlet, args, piped)) {
    const target = copy ? copyDestination(named) : named;
    const finding = judgeWrite(op, target, paths);
    if (finding && (!(tee || copy) || reported(finding, target, paths))) out.push(finding);
  }
  return out;
}

/**
 * PowerShell's `tee`: Tee-Object on Windows, the tee program elsewhere (every operand a file: `tee
 * a.txt /etc/hosts`), read both ways, Tee-Object's reading of a file it names winning (`-Append`).
 */
function powershellTee(args: readonly Word[], piped?: readonly Word[]): ReturnType<typeof writtenByCmdlet> {
  const object = writtenByCmdlet("tee-object", args, piped);
  const named = new Set(object.map((w) => w.target.text));
  const values = new Set(args.flatMap((w, i) => (w.param && args[i + 1] ? [args[i + 1]] : [])));
  const program = writtenByArgument("tee", args).filter(({ target }) => !named.has(target.text) && !values.has(target));
  return [...object, ...program.map(({ op, target }) => ({ op, target, tee: true as const }))];
}

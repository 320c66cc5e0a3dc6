import type { Word } from "../shell/ir.js";
import { commandName } from "../shell/downloads.js";
import { operands } from "../shell/match-rule.js";
import { wrapperChain } from "./command-forms.js";

/** Commands whose every operand is a file they read (or show, or hand on). */
const EVERY_OPERAND = new Set([
  "cat", "tac", "less", "more", "most", "head", "tail", "nl", "od", "xxd", "hexdump", "strings", "base64", "base32",
  "wc", "sort", "uniq", "cut", "paste", "fold", "fmt", "column", "rev", "tr", "diff", "cmp", "comm", "iconv", "bat",
  "batcat", "view", "vi", "vim", "nvim", "nano", "emacs", "source", ".", "md5sum", "sha1sum", "sha256sum", "sha512sum",
  "cksum", "b2sum", "tar", "bsdtar", "gtar", "zip", "gzip", "bzip2", "xz", "zstd", "zcat", "gpg", "openssl", "scp",
]);
/** Commands that read every operand but the last (the destination), or all of them with `-t DIR`. */
const SOURCES = new Set(["cp", "mv", "ln", "rsync", "install"]);
/** Commands whose first operand is a pattern or a program unless one is given by option (`-e`, `-f`). */
const PATTERN_FIRST: Record<string, RegExp | null> = {
  grep: /^(-[A-Za-z]*[ef]|--regexp|--file)/, egrep: /^(-[A-Za-z]*[ef]|--regexp|--file)/, fgrep: /^(-[A-Za-z]*[ef]|--regexp|--file)/,
  rg: /^(-[A-Za-z]*[ef]|--regexp|--file)/, ag: null, ack: null, sed: /^(-[A-Za-z]*[ef]|--expression|--file)/,
  awk: /^(-f|--file)/, gawk: /^(-f|--file)/, mawk: /^(-f|--file)/, jq: /^(-f|--from-file)/, yq: null,
};
/** PowerShell cmdlets that read their operands (aliases such as `cat`, `gc`, `type` come as these). */
const POWERSHELL_READERS = new Set(["get-content", "copy-item", "move-item", "select-string", "import-csv", "get-filehash", "format-hex"]);

/**
 * The words of a simple command that name files it plainly reads through its arguments: `cat F`,
 * `head -n 5 F`, `grep PATTERN F`, `cp F DEST`, `dd if=F`, `curl -d @F`, `source F`, also behind
 * wrappers. Option values may come back too: a few words too many only mean more paths are checked
 * against `Read(…)` deny rules. Folders searched whole (`grep -r x .`) are not followed into.
 */
export function argumentReads(words: readonly Word[], powershell: boolean): Word[] {
  const out: Word[] = [];
  for (const argv of powershell ? [[...words]] : wrapperChain(words)) {
    const first = argv[0];
    if (!first || first.dynamic) continue;
    const name = commandName(first.text, powershell);
    const args = argv.slice(1);
    const files = operands({ name, args, powershell });
    if (powershell) {
      if (POWERSHELL_READERS.has(name)) out.push(...(name === "copy-item" || name === "move-item" ? files.slice(0, 1) : files));
      continue;
    }
    const given = PATTERN_FIRST[name];
    if (EVERY_OPERAND.has(name)) out.push(...files);
    else if (SOURCES.has(name)) out.push(...(args.some((w) => /^(-t|--target-directory)/.test(w.text)) ? files : files.slice(0, -1)));
    else if (given !== undefined) out.push(...(args.some((w) => !w.dynamic && given?.test(w.text)) ? files : files.slice(1)));
    else if (name === "dd") out.push(...args.filter((w) => w.text.startsWith("if=")).map((w) => ({ ...w, text: w.text.slice(3) })));
    else if (name === "curl" || name === "wget" || name === "http") out.push(...uploads(args));
  }
  return out;
}

/** Files `curl` sends: `-T F`, `--upload-file F`, and `@F` in `-d`, `--data*`, `-F name=@F`, `--post-file=F`. */
function uploads(args: readonly Word[]): Word[] {
  const out: Word[] = [];
  args.forEach((w, i) => {
    const next = args[i + 1];
    if ((w.text === "-T" || w.text === "--upload-file" || w.text === "--post-file" || w.text === "--body-file") && next) out.push(next);
    else if (/^--(post|body)-file=/.test(w.text)) out.push({ ...w, text: w.text.slice(w.text.indexOf("=") + 1) });
    const at = /(?:^|=)[@<]([^;]+)/.exec(w.text);
    if (at?.[1]) out.push({ ...w, text: at[1] });
  });
  return out;
}

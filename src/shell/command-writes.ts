import path from "node:path";
import type { Cmd, Word } from "./ir.js";
import { cmdDownloads, resolved, wordDownloads } from "./downloads.js";
import type { Ctx } from "./evaluate-context.js";
import { longOption } from "./long-options.js";
import { recordStreamWrites } from "./stream-writes.js";
import { copied, inputText, wrote, type Copy } from "./written-content.js";
import { unlinked } from "./written-links.js";

/**
 * Files a command writes by its arguments rather than a redirection, remembered as `recordWrites`
 * remembers a redirection's (see `written-files.ts`): `tee FILE` and PowerShell's Tee-Object, Out-File,
 * Set-Content, Add-Content and New-Item write the text they are given or fed; `cp`, `mv`, `install`,
 * `ln`, Copy-Item and Move-Item put a file's text elsewhere (see `written-content.ts`), and `dd`
 * what it reads (`stream-writes.ts`).
 * A file a download reaches (`curl … | tee x.sh`, `cp` of a file downloaded earlier) counts as downloaded.
 */
export function recordCommandWrites(name: string, args: readonly Word[], cmd: Cmd, upstream: readonly Cmd[], ctx: Ctx): void {
  if (ctx.shell === "powershell") {
    const cmdlet = name === "tee" ? "tee-object" : name;
    const spec = CMDLETS[cmdlet];
    if (spec) cmdletWrites(cmdlet, spec, args, cmd, upstream, ctx);
  } else if (name === "tee") teeWrites(args, cmd, upstream, ctx);
  else if (name === "cp" || name === "mv" || name === "install" || name === "ln") copyWrites(name, args, cmd, upstream, ctx);
  else if (name === "rm" || name === "unlink") removeWrites(name, args, ctx);
  else recordStreamWrites(name, args, cmd, upstream, ctx);
}

const RM_LONG_OPTIONS = ["--force", "--interactive", "--one-file-system", "--no-preserve-root", "--preserve-root", "--recursive", "--dir", "--verbose", "--help", "--version"];

/**
 * `rm NAME…`, `unlink NAME`: a link the line made that is removed no longer reaches its file (see
 * `written-links.ts`); `-r` removes those under a folder too. `-i` and `-I` may remove nothing, and
 * what the line wrote stays known whatever rm does, so running a removed script is judged as its text.
 */
function removeWrites(name: string, args: readonly Word[], ctx: Ctx): void {
  const names: Word[] = [];
  let recursive = false;
  let options = name === "rm";
  for (const w of args) {
    if (options && !w.dynamic && w.text === "--") options = false;
    else if (options && !w.dynamic && /^--./.test(w.text)) {
      const long = longOption(w.text.replace(/=.*$/s, ""), RM_LONG_OPTIONS);
      if (long === "--interactive" && !/^--interactive?=never$/.test(w.text)) return;
      recursive ||= long === "--recursive";
    } else if (options && !w.dynamic && /^-./.test(w.text)) {
      if (/[iI]/.test(w.text)) return;
      recursive ||= /[rR]/.test(w.text);
    } else names.push(w);
  }
  const gone = names.filter((w) => !w.dynamic && !w.glob && w.text !== "").map((w) => resolved(w.text, ctx.paths.cwd));
  if (gone.length > 0) unlinked(gone, recursive, ctx);
}

const TEE_LONG_OPTIONS = ["--append", "--ignore-interrupts", "--output-error", "--help", "--version"];

/** `tee [-a] FILE…`: each file gets what tee reads, or, under `-a`, text wren cannot know. */
function teeWrites(args: readonly Word[], cmd: Cmd, upstream: readonly Cmd[], ctx: Ctx): void {
  const files: Word[] = [];
  let append = false;
  let options = true;
  for (const w of args) {
    if (options && !w.dynamic && w.text === "--") options = false;
    else if (options && !w.dynamic && /^--./.test(w.text)) append ||= longOption(w.text, TEE_LONG_OPTIONS) === "--append";
    else if (options && !w.dynamic && /^-./.test(w.text)) append ||= w.text.includes("a");
    else if (w.dynamic || w.text !== "-") files.push(w);
  }
  if (files.length === 0) return;
  const text = append ? undefined : inputText(cmd, upstream, ctx);
  const downloaded = upstream.some((c) => cmdDownloads(c, false));
  for (const file of files) wrote(file, text, downloaded, ctx);
}

/** Options of cp, mv, install and ln that take a value of their own (`-S SUFFIX`, `-m MODE`); `-t DIR` is read apart. */
const COPY_VALUE_OPTIONS: Record<string, string> = { cp: "S", mv: "S", install: "SmogZ", ln: "S" };
const COPY_LONG_OPTIONS = ["--target-directory", "--no-target-directory", "--suffix", "--mode", "--owner", "--group", "--directory"];
const LN_LONG_OPTIONS = ["--backup", "--directory", "--force", "--interactive", "--logical", "--no-dereference", "--no-target-directory", "--physical", "--relative", "--suffix", "--symbolic", "--target-directory", "--verbose", "--help", "--version"];
const LONG_VALUE_OPTIONS = ["--target-directory", "--suffix", "--mode", "--owner", "--group"];

/**
 * `cp SRC DEST`, `cp SRC… DIR`, `cp -t DIR SRC…` (and mv, install, ln): the destination holds the
 * source's text, known where the line wrote the source. A single source copied to a name that may
 * be a folder is remembered both ways (`DEST` and `DEST/SRC`). mv takes the source away. A link
 * runs what it links to: `ln -s` (without `-r`) finds a relative source from the link's folder,
 * and `ln SRC` alone links it into the current folder.
 */
function copyWrites(name: string, args: readonly Word[], cmd: Cmd, upstream: readonly Cmd[], ctx: Ctx): void {
  const operands: Word[] = [];
  let target: Word | undefined;
  let exact = false;
  let options = true;
  let symbolic = false;
  let relative = false;
  let replace = false;
  const values = COPY_VALUE_OPTIONS[name] ?? "";
  for (let i = 0; i < args.length; i++) {
    const w = args[i];
    if (!w) continue;
    if (!options || w.dynamic || !/^-./.test(w.text)) {
      operands.push(w);
      continue;
    }
    if (w.text === "--") {
      options = false;
      continue;
    }
    if (w.text.startsWith("--")) {
      const long = longOption(w.text.replace(/=.*$/s, ""), name === "ln" ? LN_LONG_OPTIONS : COPY_LONG_OPTIONS);
      // install -d makes folders, not files.
      if (long === "--directory" && name === "install") return;
      if (long === "--no-target-directory") exact = true;
      if (long === "--symbolic") symbolic = true;
      if (long === "--relative") relative = true;
      if (long === "--force" || long === "--backup") replace = true;
      if (long === "--interactive") replace = false;
      if (long !== undefined && LONG_VALUE_OPTIONS.includes(long)) {
        const value = w.text.includes("=") ? { ...w, text: w.text.slice(w.text.indexOf("=") + 1) } : args[++i];
        if (long === "--target-directory") target = value;
      }
      continue;
    }
    for (let k = 1; k < w.text.length; k++) {
      const c = w.text[k] ?? "";
      if (c === "d" && name === "install") return;
      if (c === "T") exact = true;
      if (c === "s" && name === "ln") symbolic = true;
      if (c === "r" && name === "ln") relative = true;
      if ((c === "f" || c === "b") && name === "ln") replace = true;
      if (c === "i" && name === "ln") replace = false;
      if (c === "t" || values.includes(c)) {
        // The rest of the bundle, or else the next word, is the option's value.
        const value = k + 1 < w.text.length ? { ...w, text: w.text.slice(k + 1) } : args[++i];
        if (c === "t") target = value;
        break;
      }
    }
  }
  const linked = symbolic && !relative;
  const link = name === "ln" ? { symbolic, relative, replace } : undefined;
  const move = name === "mv";
  if (target) {
    const folder = target;
    copied(operands.map((source): Copy => [source, folder, true, linked]), move, cmd, upstream, ctx, link);
    return;
  }
  // `ln SRC` links SRC into the current folder.
  if (name === "ln" && operands.length === 1) operands.push({ text: ".", dynamic: false, glob: false, subs: [] });
  const dest = operands[operands.length - 1];
  const sources = operands.slice(0, -1);
  if (!dest || sources.length === 0) return;
  const folder = sources.length > 1 || /[\\/]$/.test(dest.text) || (!dest.dynamic && /^\.{1,2}$/.test(dest.text));
  const ways: boolean[] = folder ? [true] : exact ? [false] : [false, true];
  copied(sources.flatMap((source) => ways.map((into): Copy => [source, dest, into, linked])), move, cmd, upstream, ctx, link);
}

/** How a cmdlet takes its parameters: those that take a value, in positional order first; the others are switches. */
export interface CmdletSpec {
  positional: string[];
  values: string[];
  switches: string[];
  /** Parameter aliases, to the parameter's name. */
  aliases?: Record<string, string>;
}

const CONTENT: CmdletSpec = {
  positional: ["path", "value"],
  values: ["literalpath", "filter", "include", "exclude", "credential", "encoding", "stream"],
  switches: ["force", "passthru", "nonewline", "asbytestream", "whatif", "confirm"],
  aliases: { pspath: "literalpath", lp: "literalpath" },
};

const CMDLETS: Record<string, CmdletSpec> = {
  "set-content": CONTENT,
  "add-content": CONTENT,
  "out-file": { positional: ["filepath", "encoding"], values: ["literalpath", "width", "inputobject"], switches: ["append", "force", "noclobber", "nonewline", "whatif", "confirm"], aliases: { path: "filepath", pspath: "literalpath", lp: "literalpath" } },
  "tee-object": { positional: ["filepath"], values: ["literalpath", "variable", "inputobject", "encoding"], switches: ["append"], aliases: { path: "filepath", pspath: "literalpath", lp: "literalpath" } },
  "new-item": { positional: ["path"], values: ["name", "itemtype", "value", "credential"], switches: ["force", "whatif", "confirm"], aliases: { type: "itemtype", target: "value" } },
  "copy-item": { positional: ["path", "destination"], values: ["literalpath", "filter", "include", "exclude", "credential", "fromsession", "tosession"], switches: ["container", "force", "passthru", "recurse", "whatif", "confirm"], aliases: { pspath: "literalpath", lp: "literalpath" } },
  "move-item": { positional: ["path", "destination"], values: ["literalpath", "filter", "include", "exclude", "credential"], switches: ["force", "passthru", "whatif", "confirm"], aliases: { pspath: "literalpath", lp: "literalpath" } },
};

/**
 * The files a PowerShell writer writes, as a redirection would name them, for judging (see
 * `judgeWrite`): Set-Content, Out-File (what `>` runs), Clear-Content and New-Item -Force for a
 * file write over it as `>` does, Add-Content and Out-File -Append add to it as `>>` does; `tee`
 * marks Tee-Object's, judged as tee's are, and `copy` Copy-Item's and Move-Item's destination.
 * Only the file it writes, not the text it is given.
 */
export function writtenByCmdlet(cmdlet: string, args: readonly Word[], piped?: readonly Word[]): { op: ">" | ">>"; target: Word; tee?: true; copy?: true }[] {
  // Invoke-WebRequest -OutFile F saves the download as `iwr URL > F` would (`-OutF` at least: `-Out` is also -OutVariable's).
  if (cmdlet === "invoke-webrequest" || cmdlet === "invoke-restmethod") {
    const at = args.findIndex((w) => w.param === true && w.text.replace(/:$/, "").length >= 5 && "-outfile".startsWith(w.text.replace(/:$/, "").toLowerCase()));
    const file = at >= 0 ? args[at + 1] : undefined;
    return file && !file.param ? [{ op: ">", target: file }] : [];
  }
  const spec = cmdlet === "clear-content" ? CONTENT : (CMDLETS[cmdlet] ?? EXPORTS[cmdlet]);
  if (!spec) return [];
  const bound = bind(spec, args);
  if (!bound) return [];
  const first = (param: string): Word | undefined => bound.get(param)?.[0];
  if (cmdlet === "copy-item" || cmdlet === "move-item") {
    const dest = first("destination");
    return dest ? [{ op: ">", target: dest, copy: true }] : [];
  }
  const at = first("filepath") ?? first("path") ?? first("literalpath");
  if (cmdlet === "new-item") {
    // Without -Force New-Item only makes a file that is not there yet; with it, it empties one that is.
    const type = first("itemtype");
    if (!bound.has("force") || (type && (type.dynamic || !/^file$/i.test(type.text)))) return [];
    const named = first("name");
    if (!named) return at ? [{ op: ">", target: at }] : [];
    const dynamic = named.dynamic || at?.dynamic === true;
    return [{ op: ">", target: { ...named, dynamic, text: path.posix.join((at?.text ?? ".").replace(/\\/g, "/"), named.text) } }];
  }
  const op = cmdlet === "add-content" || bound.has("append") ? ">>" : ">";
  // Set-Content, Add-Content and Clear-Content take -Path from the items piped to them (`gci *.txt | Set-Content -Value ''`).
  if (!at) return piped && spec === CONTENT ? piped.map((target) => ({ op, target })) : [];
  return [cmdlet === "tee-object" ? { op, target: at, tee: true } : { op, target: at }];
}

/**
 * The items New-Item makes, for the rules that judge them by path: its -Path values, each joined
 * with -Name where given (`-Path C:\Windows -Name x` makes C:\Windows\x), not the -Value or
 * -Target it is given; undefined where PowerShell would not bind the arguments.
 */
export function newItemPaths(args: readonly Word[]): Word[] | undefined {
  const spec = CMDLETS["new-item"];
  const bound = spec ? bind(spec, args) : undefined;
  if (!bound) return undefined;
  const at = bound.get("path") ?? [];
  const named = bound.get("name")?.[0];
  if (!named) return at;
  const bases = at.length > 0 ? at : [{ text: ".", dynamic: false, glob: false, subs: [] }];
  return bases.map((base) => ({ ...named, dynamic: named.dynamic || base.dynamic, text: `${base.text.replace(/[\\/]+$/, "")}${/\\/.test(base.text) ? "\\" : "/"}${named.text}` }));
}

/** Cmdlets that write a file of their own making (objects as CSV or XML, a transcript): judged by the file, not followed as text. */
const EXPORTS: Record<string, CmdletSpec> = {
  "export-csv": { positional: ["path", "delimiter"], values: ["literalpath", "encoding", "inputobject", "quotefields", "usequotes"], switches: ["append", "force", "noclobber", "notypeinformation", "includetypeinformation", "useculture", "noheader", "whatif", "confirm"], aliases: { pspath: "literalpath", lp: "literalpath", nti: "notypeinformation" } },
  "export-clixml": { positional: ["path"], values: ["literalpath", "depth", "inputobject", "encoding"], switches: ["force", "noclobber", "whatif", "confirm"], aliases: { pspath: "literalpath", lp: "literalpath" } },
  "start-transcript": { positional: ["path"], values: ["literalpath", "outputdirectory"], switches: ["append", "force", "noclobber", "includeinvocationheader", "useminimalheader", "whatif", "confirm"], aliases: { pspath: "literalpath", lp: "literalpath" } },
};

/** A cmdlet's arguments bound to its parameters as PowerShell binds them: named ones (cut short or not), then the rest in positional order, the last taking what is left over. */
export function bind(spec: CmdletSpec, args: readonly Word[]): Map<string, Word[]> | undefined {
  const names = [...spec.positional, ...spec.values, ...spec.switches, ...Object.keys(spec.aliases ?? {})];
  const bound = new Map<string, Word[]>();
  const loose: Word[] = [];
  for (let i = 0; i < args.length; i++) {
    const w = args[i];
    if (!w) continue;
    if (!w.param) {
      loose.push(w);
      continue;
    }
    const given = w.text.replace(/^-/, "").replace(/:$/, "").toLowerCase();
    const matches = names.filter((n) => n.startsWith(given));
    const exact = names.includes(given) ? given : matches.length === 1 ? matches[0] : undefined;
    // A name PowerShell finds ambiguous (`-P`) stops the cmdlet before it writes anything.
    if (exact === undefined && matches.length > 1) return undefined;
    const param = exact === undefined ? given : (spec.aliases?.[exact] ?? exact);
    if (spec.switches.includes(param)) bound.set(param, []);
    else {
      const value = args[i + 1];
      bound.set(param, value && !value.param ? [value] : []);
      if (value && !value.param) i++;
    }
  }
  // -LiteralPath is the path of another parameter set, so the first loose value is the next one (`-LiteralPath F 'text'` gives -Value).
  const open = spec.positional.filter((p) => !bound.has(p) && !((p === "path" || p === "filepath") && bound.has("literalpath")));
  loose.forEach((w, k) => {
    const param = open[Math.min(k, open.length - 1)];
    if (param !== undefined) bound.set(param, [...(bound.get(param) ?? []), w]);
  });
  return bound;
}

/** A PowerShell writer: the file it writes and its text (the values given, one a line, or what the pipe feeds it). */
function cmdletWrites(cmdlet: string, spec: CmdletSpec, args: readonly Word[], cmd: Cmd, upstream: readonly Cmd[], ctx: Ctx): void {
  const bound = bind(spec, args);
  if (!bound) return;
  const first = (param: string): Word | undefined => bound.get(param)?.[0];
  if (cmdlet === "copy-item" || cmdlet === "move-item") {
    const source = first("path") ?? first("literalpath");
    const dest = first("destination");
    if (!source || !dest) return;
    const ways: boolean[] = /[\\/]$/.test(dest.text) ? [true] : [false, true];
    copied(ways.map((into): Copy => [source, dest, into]), cmdlet === "move-item", cmd, upstream, ctx);
    return;
  }
  // New-Item -ItemType SymbolicLink (or HardLink) -Target FILE links to FILE, as ln does.
  const type = cmdlet === "new-item" ? first("itemtype") : undefined;
  const link = type !== undefined && !type.dynamic && /^(symboliclink|hardlink)$/i.test(type.text);
  if (type && !link && (type.dynamic || !/^file$/i.test(type.text))) return;
  const named = first("name");
  const at = first("filepath") ?? first("path") ?? first("literalpath");
  const file = cmdlet === "new-item" && named ? (named.dynamic || at?.dynamic ? undefined : { ...named, text: path.posix.join((at?.text ?? ".").replace(/\\/g, "/"), named.text) }) : at;
  if (!file) return;
  const given = bound.get("value") ?? bound.get("inputobject");
  if (link) {
    const target = given?.[0];
    if (target) copied([[target, file, false]], false, cmd, upstream, ctx, { symbolic: /^symboliclink$/i.test(type.text), relative: false, replace: bound.has("force") });
    return;
  }
  const appends = cmdlet === "add-content" || bound.has("append");
  const text = appends ? undefined : given ? (given.some((w) => w.dynamic) ? undefined : given.map((w) => w.text).join("\n")) : cmdlet === "new-item" && upstream.length === 0 ? "" : inputText(cmd, upstream, ctx);
  // A value that downloads (`(iwr …).Content`) writes the download.
  const downloaded = given ? given.some((w) => wordDownloads(w, true)) : upstream.some((c) => cmdDownloads(c, true));
  wrote(file, text, downloaded, ctx);
}

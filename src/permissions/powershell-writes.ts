import path from "node:path";
import type { Word } from "../shell/ir.js";
import { RUN_TIME } from "../shell/ir.js";
import { commandName } from "../shell/downloads.js";
import type { OptionWrites } from "./option-writes.js";

/** What a parameter of a file cmdlet is for: a path it writes, where a copy goes, a new name, a link's target, a switch, or a value. */
type Role = "path" | "destination" | "newname" | "name" | "target" | "itemtype" | "outfile" | "switch" | "other";

/** The parameters (and their aliases) the file cmdlets take, by full name; any other takes a value. */
const PARAMETERS: ReadonlyArray<readonly [string, Role]> = [
  ["path", "path"], ["literalpath", "path"], ["pspath", "path"], ["lp", "path"], ["filepath", "path"],
  ["destination", "destination"], ["destinationpath", "destination"], ["newname", "newname"], ["name", "name"],
  ["target", "target"], ["value", "target"], ["itemtype", "itemtype"], ["type", "itemtype"], ["outfile", "outfile"],
  ...["recurse", "force", "whatif", "confirm", "passthru", "nonewline", "append", "noclobber", "container", "verbose", "debug", "asbytestream", "notypeinformation", "update", "includeheader", "usetransaction", "flattenhierarchy", "asjob", "raw", "r"].map((name) => [name, "switch"] as const),
];

/** Aliases the shell's own table leaves out. */
const ALIASES: Record<string, string> = { ren: "rename-item", rni: "rename-item", clc: "clear-content", cli: "clear-item", tee: "tee-object", md: "new-item", mkdir: "new-item", epcsv: "export-csv" };
/** Cmdlets whose every path, named or positional, is a file they write. */
const WRITE_EVERY = new Set(["clear-content", "clear-item", "remove-item", "out-file", "tee-object", "export-csv", "export-clixml", "set-acl", "new-item", "start-transcript"]);
/** Cmdlets that write their paths and take the text to write as their last positional word. */
const WRITE_WITH_VALUE = new Set(["set-content", "add-content"]);

interface Call {
  named: Map<Role, Word[]>;
  positional: Word[];
}

/** The role of `-Name` (PowerShell takes any unambiguous prefix; an ambiguous one is taken as the first that fits). */
function roleOf(param: string): Role {
  const name = param.replace(/^-+/, "").toLowerCase();
  const exact = PARAMETERS.find(([full]) => full === name);
  if (exact) return exact[1];
  return PARAMETERS.find(([full]) => full.startsWith(name))?.[1] ?? "other";
}

function readCall(args: readonly Word[]): Call {
  const named = new Map<Role, Word[]>();
  const positional: Word[] = [];
  for (let i = 0; i < args.length; i++) {
    const w = args[i];
    if (!w || w.member) continue;
    if (!w.param) {
      positional.push(w);
      continue;
    }
    const role = roleOf(w.text);
    if (role === "switch") {
      named.set(role, [...(named.get(role) ?? []), w]);
      continue;
    }
    const value = args[i + 1];
    if (value && !value.param) {
      named.set(role, [...(named.get(role) ?? []), value]);
      i++;
    }
  }
  return { named, positional };
}

/** PowerShell takes `\` as a folder separator, on every system. */
const slashes = (w: Word): Word => (w.dynamic || !w.text.includes("\\") ? w : { ...w, text: w.text.replace(/\\/g, "/") });
const join = (folder: Word, name: string): Word => ({ ...folder, text: `${folder.text.replace(/\/+$/, "")}/${name}`, dynamic: folder.dynamic });
/** A path only known when the cmdlet runs: one it takes from the pipeline (`Get-Item F | Set-Content -Value x`). */
const PIPED: Word = { text: RUN_TIME, dynamic: true, glob: false, subs: [] };
const HERE: Word = { text: ".", dynamic: false, glob: false, subs: [] };
const baseName = (w: Word): string => w.text.replace(/\/+$/, "").split("/").pop() ?? "";

/**
 * The files and folders a PowerShell cmdlet writes through its parameters, as `argumentWrites`
 * finds them for bash: `Set-Content F`, `Add-Content`, `Clear-Content`, `Out-File`, `Tee-Object`,
 * `New-Item` (and the target of a link it makes), `Remove-Item` (below a folder with `-Recurse`),
 * `Copy-Item`/`Move-Item` (where what they copy lands; below it with `-Recurse`, or for a move,
 * which also takes everything below what it moves), `Rename-Item`, `Expand-Archive` (unpacked),
 * `Compress-Archive` and `Invoke-WebRequest -OutFile`, under their aliases (`sc`, `ni`, `ri`, `mv`…).
 */
export function powershellWrites(words: readonly Word[]): OptionWrites {
  const out: OptionWrites = { files: [], folders: [], unpacked: [] };
  const first = words[0];
  if (!first || first.dynamic) return out;
  const raw = commandName(first.text, true);
  const name = ALIASES[raw] ?? raw;
  const { named, positional } = readCall(words.slice(1));
  const take = (role: Role): Word[] => (named.get(role) ?? []).map(slashes);
  const at = positional.map(slashes);
  const recurse = (named.get("switch") ?? []).some((w) => ["recurse", "r"].includes(w.text.replace(/^-+/, "").toLowerCase()) || "recurse".startsWith(w.text.replace(/^-+/, "").toLowerCase()));
  const paths = take("path");
  if (WRITE_EVERY.has(name) || WRITE_WITH_VALUE.has(name)) {
    const valueGiven = named.has("target");
    const given = [...paths, ...(WRITE_WITH_VALUE.has(name) && !valueGiven && at.length > 1 ? at.slice(0, -1) : at)];
    const names = take("name");
    // `New-Item -Path DIR -Name F` makes DIR/F; `-Name F` alone, F where it runs.
    const written = names.length > 0 ? (given.length > 0 ? given : [HERE]).flatMap((dir) => names.map((n) => join(dir, n.text))) : given.length > 0 ? given : [PIPED];
    // `Tee-Object -Variable V` writes no file.
    if (name === "tee-object" && given.length === 0 && words.some((w) => w.param && /^-v/i.test(w.text))) return out;
    out.files.push(...written);
    if (name === "remove-item" && recurse) out.unpacked.push(...written);
    const link = take("itemtype").some((w) => w.dynamic || /^(symboliclink|hardlink|junction)$/i.test(w.text));
    if (name === "new-item" && link) {
      // A link's target gets a second name: writing through it changes the target.
      const linked = take("target");
      out.files.push(...linked);
      out.unpacked.push(...linked);
    }
  } else if (name === "copy-item" || name === "move-item") {
    // `Copy-Item A B` and `Copy-Item A, B C` (the comma is gone): the last positional word is the
    // destination, unless -Destination names it; with none, where it runs. With no source named,
    // what it copies comes down the pipeline.
    const named = take("destination");
    const sources = paths.length > 0 ? paths : at.length === 0 ? [PIPED] : named.length > 0 || at.length === 1 ? at : at.slice(0, -1);
    const dest = [...named, ...(paths.length > 0 ? at : named.length > 0 || at.length <= 1 ? [] : at.slice(-1))];
    if (dest.length === 0) dest.push(HERE);
    const landed: Word[] = [];
    const anyName: Word[] = [];
    for (const folder of dest) {
      // `Move-Item a b` may rename a to b, and b may be a folder already; `.` is one.
      if (sources.length === 1 && (folder.dynamic || !/(^|\/)\.\.?\/*$/.test(folder.text))) landed.push(folder);
      for (const source of sources) {
        if (source.dynamic) anyName.push(folder);
        else landed.push(join(folder, baseName(source)));
      }
    }
    out.files.push(...landed);
    out.unpacked.push(...anyName);
    if (name === "move-item") {
      out.files.push(...sources);
      out.unpacked.push(...sources, ...landed);
    } else if (recurse) out.unpacked.push(...landed);
  } else if (name === "rename-item") {
    const newNamed = take("newname");
    const renamed = paths.length > 0 ? paths : at.length > (newNamed.length > 0 ? 0 : 1) ? at.slice(0, 1) : [PIPED];
    const newNames = [...newNamed, ...(paths.length > 0 || renamed[0] === PIPED ? at : at.slice(1))];
    // The new name is in the folder of what is renamed, which is only known when it runs for a piped item.
    const landed = renamed.flatMap((w) =>
      newNames.map((n) => (n.dynamic || n.text.includes("/") ? n : w.dynamic ? { ...n, text: `${RUN_TIME}/${n.text}`, dynamic: true } : { ...n, text: path.posix.join(path.posix.dirname(w.text), n.text) })),
    );
    out.files.push(...renamed, ...landed);
    out.unpacked.push(...renamed, ...landed);
  } else if (name === "expand-archive") {
    const dest = [...take("destination"), ...(paths.length > 0 ? at : at.slice(1))];
    out.unpacked.push(...(dest.length > 0 ? dest : [HERE]));
  } else if (name === "compress-archive") {
    out.files.push(...take("destination"), ...(paths.length > 0 ? at : at.slice(1)));
  } else if (name === "invoke-webrequest" || name === "invoke-restmethod") {
    out.files.push(...take("outfile"));
  }
  return out;
}

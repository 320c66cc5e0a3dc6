import path from "node:path";
import type { Word } from "../shell/ir.js";
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
const WRITE_EVERY = new Set(["clear-content", "clear-item", "remove-item", "out-file", "tee-object", "export-csv", "export-clixml", "set-acl", "new-item"]);
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
    const written = names.length > 0 ? (given.length > 0 ? given : [{ text: ".", dynamic: false, glob: false, subs: [] }]).flatMap((dir) => names.map((n) => join(dir, n.text))) : given;
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
    const sources = paths.length > 0 ? paths : at.slice(0, 1);
    const rest = paths.length > 0 ? at : at.slice(1);
    const dest = [...take("destination"), ...rest];
    const landed = dest.flatMap((folder) => [folder, ...sources.map((s) => join(folder, baseName(s)))]);
    out.files.push(...landed);
    if (name === "move-item") {
      out.files.push(...sources);
      out.unpacked.push(...sources, ...landed);
    } else if (recurse) out.unpacked.push(...landed);
  } else if (name === "rename-item") {
    const renamed = paths.length > 0 ? paths : at.slice(0, 1);
    const newNames = [...take("newname"), ...(paths.length > 0 ? at : at.slice(1))];
    const landed = renamed.flatMap((w) => newNames.map((n) => (n.dynamic || n.text.includes("/") ? n : { ...n, text: path.posix.join(path.posix.dirname(w.text), n.text) })));
    out.files.push(...renamed, ...landed);
    out.unpacked.push(...renamed, ...landed);
  } else if (name === "expand-archive") {
    const dest = [...take("destination"), ...(paths.length > 0 ? at : at.slice(1))];
    out.unpacked.push(...(dest.length > 0 ? dest : [{ text: ".", dynamic: false, glob: false, subs: [] }]));
  } else if (name === "compress-archive") {
    out.files.push(...take("destination"), ...(paths.length > 0 ? at : at.slice(1)));
  } else if (name === "invoke-webrequest" || name === "invoke-restmethod") {
    out.files.push(...take("outfile"));
  }
  return out;
}

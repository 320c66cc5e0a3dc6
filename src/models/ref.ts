import path from "node:path";
import { WrenError } from "../shared/errors.js";
import { expandHome } from "../shared/paths.js";
import { hasCredentials, withoutCredentials } from "./url-credentials.js";

/** A model reference as a user writes it, parsed. */
export type ModelRef =
  /** `hf:org/repo[@revision][:quant]` or `hf:org/repo[@revision]/path/file.gguf`. */
  | { kind: "hf"; repo: string; revision: string | undefined; quant: string | undefined; file: string | undefined }
  /** `https://…` or `http://…`: any URL serving a GGUF file. */
  | { kind: "url"; url: string }
  /** A GGUF file on disk, used in place. */
  | { kind: "path"; path: string }
  /** A short name: a model already in the store, one Ollama or LM Studio has, or a catalog entry. */
  | { kind: "name"; name: string };

const repoPart = /^[A-Za-z0-9][\w.-]*$/;

function badRef(ref: string, why: string): WrenError {
  return new WrenError("bad_request", `"${ref}" is not a model reference: ${why}.`, {
    hint: "Use hf:org/repo:Q4_K_M, hf:org/repo/file.gguf, an https:// URL, a path to a .gguf file, or a name from `wren models list`.",
  });
}

/** Parses a reference. Paths are recognised by a leading `/`, `./`, `../`, `~` or a `.gguf` ending. */
export function parseModelRef(ref: string, home?: string): ModelRef {
  const text = ref.trim();
  if (!text) throw badRef(ref, "it is empty");
  if (text.startsWith("hf:")) return parseHfRef(text);
  if (/^https?:\/\//i.test(text)) {
    if (hasCredentials(text)) {
      // Not repeated: the reference would be kept in the store's index and shown in messages.
      throw new WrenError("bad_request", `The model URL ${withoutCredentials(text)} carries a user name or password; wren does not send, keep or show credentials given in a URL.`, {
        hint: "Remove `user:password@` from the URL. For a server that needs a login, download the file yourself and use its path (`wren run --model ./model.gguf`).",
      });
    }
    try {
      return { kind: "url", url: new URL(text).toString() };
    } catch {
      throw badRef(ref, "the URL does not parse");
    }
  }
  if (/^(\/|\.\.?[/\\]|~|[A-Za-z]:[/\\])/.test(text) || text.toLowerCase().endsWith(".gguf")) {
    return { kind: "path", path: path.resolve(expandHome(text, home)) };
  }
  return { kind: "name", name: text };
}

function parseHfRef(text: string): ModelRef {
  const body = text.slice(3).replace(/^\/+/, "");
  const segments = body.split("/");
  if (segments.length < 2) throw badRef(text, "it needs org/repo");
  const org = segments[0] ?? "";
  let repoSegment = segments[1] ?? "";
  const rest = segments.slice(2);
  let quant: string | undefined;
  if (rest.length === 0) {
    const colon = repoSegment.indexOf(":");
    if (colon >= 0) {
      quant = repoSegment.slice(colon + 1);
      repoSegment = repoSegment.slice(0, colon);
      if (!quant) throw badRef(text, "the quantisation after ':' is empty");
    }
  }
  let revision: string | undefined;
  const at = repoSegment.indexOf("@");
  if (at >= 0) {
    revision = repoSegment.slice(at + 1);
    repoSegment = repoSegment.slice(0, at);
    if (!revision) throw badRef(text, "the revision after '@' is empty");
  }
  if (!repoPart.test(org) || !repoPart.test(repoSegment)) throw badRef(text, "org/repo has characters the Hub does not allow");
  // Each is a folder of the store: Windows drops a trailing dot and cannot make a folder named CON.
  if ([org, repoSegment].some((part) => part.endsWith(".") || isWindowsDeviceName(part))) {
    throw badRef(text, "org/repo ends in a dot or is a name Windows reserves for a device (CON, NUL, COM1…), which the Hub does not allow");
  }
  const file = rest.length > 0 ? rest.join("/") : undefined;
  const unsafe = file === undefined ? undefined : unsafeRepoFileReason(file);
  if (unsafe) throw badRef(text, `the file path is not valid: ${unsafe}`);
  return { kind: "hf", repo: `${org}/${repoSegment}`, revision, quant, file };
}

/**
 * A name Windows keeps for a device, in any case, with or without an extension (`CON`, `nul.gguf`,
 * `COM1`, `LPT¹.txt`, `CONIN$`): writing a file of that name there fails or writes to the device.
 */
export function isWindowsDeviceName(segment: string): boolean {
  return /^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³]|conin\$|conout\$)\s*(\..*)?$/i.test(segment);
}

/**
 * Why a path inside a Hub repository is not one wren may store under `hf/<org>/<repo>/`, or
 * undefined for one it may: relative, in `/`-separated segments none of which is empty, `.` or
 * `..`, without backslashes, colons (a drive, or an NTFS stream) or control characters, none ending
 * in a dot or a space (Windows drops those: `.. ` would be `..` there) and none a name Windows keeps
 * for a device (refused on every platform, so a model pulls the same everywhere). Applied to what
 * users type and to what a Hub (or mirror) lists, which may be hostile.
 */
export function unsafeRepoFileReason(file: string): string | undefined {
  if (!file || file.includes("\\") || file.includes(":") || [...file].some((c) => c.charCodeAt(0) < 0x20 || c === "\u007f")) {
    return "a path that would leave the models folder";
  }
  const segments = file.split("/");
  if (segments.some((segment) => segment === "" || /[. ]$/.test(segment))) return "a path that would leave the models folder (or a name ending in a dot or a space, which Windows cuts)";
  const device = segments.find(isWindowsDeviceName);
  if (device !== undefined) return `a name Windows reserves for a device ("${device}": CON, PRN, AUX, NUL, COM1-9, LPT1-9), which cannot be written as a file there`;
  return undefined;
}

/** Whether a path inside a Hub repository is one wren may store (see {@link unsafeRepoFileReason}). */
export function isSafeRepoFile(file: string): boolean {
  return unsafeRepoFileReason(file) === undefined;
}

/** The reference written back in its canonical form. */
export function formatModelRef(ref: ModelRef): string {
  switch (ref.kind) {
    case "hf": {
      const rev = ref.revision ? `@${ref.revision}` : "";
      if (ref.file) return `hf:${ref.repo}${rev}/${ref.file}`;
      return `hf:${ref.repo}${rev}${ref.quant ? `:${ref.quant}` : ""}`;
    }
    case "url":
      return ref.url;
    case "path":
      return ref.path;
    case "name":
      return ref.name;
  }
}

const quantPattern = /(?:^|[-._])((?:I?Q\d(?:_[A-Z0-9]+)*)|F16|F32|BF16|MXFP4(?:_MOE)?|TQ\d_\d)(?=[-._]|$)/i;

/** The quantisation named in a GGUF file name (`Model-Q4_K_M.gguf` → `Q4_K_M`), if any. */
export function quantOfFileName(fileName: string): string | undefined {
  const base = path.posix.basename(fileName).replace(/\.gguf$/i, "").replace(/-\d{5}-of-\d{5}$/i, "");
  // The last match wins: `qwen2.5-7b-q4_k_m` names Q4_K_M, not an earlier token.
  let found: string | undefined;
  let rest = base;
  for (;;) {
    const match = quantPattern.exec(rest);
    if (!match?.[1]) break;
    found = match[1].toUpperCase();
    rest = rest.slice(match.index + match[0].length);
  }
  return found;
}

const splitPattern = /-(\d{5})-of-(\d{5})\.gguf$/i;

/** For a split GGUF file name (`x-00001-of-00003.gguf`), its part number and the part count. */
export function splitInfo(fileName: string): { part: number; count: number } | undefined {
  const match = splitPattern.exec(fileName);
  if (!match) return undefined;
  return { part: Number(match[1]), count: Number(match[2]) };
}

/** All part names of a split GGUF, given any one of them. */
export function splitPartNames(fileName: string): string[] {
  const info = splitInfo(fileName);
  if (!info) return [fileName];
  const names: string[] = [];
  for (let part = 1; part <= info.count; part++) {
    names.push(fileName.replace(splitPattern, `-${String(part).padStart(5, "0")}-of-${String(info.count).padStart(5, "0")}.gguf`));
  }
  return names;
}

/**
 * Ollama's name for a Hub repository's model, as its clients send it (`ollama pull`, `/api/pull`):
 * `hf.co/org/repo[:quant]` or `huggingface.co/org/repo[:quant]`, `:latest` meaning the default
 * quantisation, as the Hub reference it stands for. Undefined for any other name.
 */
export function hubModelName(name: string): ModelRef | undefined {
  const match = /^(?:hf\.co|huggingface\.co)\/([^/:@]+\/[^/:@]+)(?::([^/:@]+))?$/i.exec(name.trim());
  if (!match?.[1]) return undefined;
  const quant = match[2] && match[2].toLowerCase() !== "latest" ? match[2] : undefined;
  try {
    return parseHfRef(`hf:${match[1]}${quant ? `:${quant}` : ""}`);
  } catch {
    return undefined;
  }
}

import { randomBytes } from "node:crypto";
import fs from "node:fs/promises";
import path from "node:path";

/** Git's test for binary content: a NUL byte in the first 8000 bytes. */
export function looksBinary(bytes: Uint8Array): boolean {
  const end = Math.min(bytes.length, 8000);
  for (let i = 0; i < end; i++) if (bytes[i] === 0) return true;
  return false;
}

/** A text file's content split from its encoding details, so a rewrite can keep them. */
export interface TextFile {
  /** The content with `\n` line endings and no byte-order mark. */
  text: string;
  eol: "\n" | "\r\n";
  bom: boolean;
}

export function decodeText(bytes: Uint8Array): TextFile {
  let text = Buffer.from(bytes).toString("utf8");
  const bom = text.charCodeAt(0) === 0xfeff;
  if (bom) text = text.slice(1);
  const crlf = text.match(/\r\n/g)?.length ?? 0;
  const lf = (text.match(/\n/g)?.length ?? 0) - crlf;
  const eol = crlf > lf ? "\r\n" : "\n";
  return { text: text.replace(/\r\n/g, "\n"), eol, bom };
}

/** The content as it goes to disk, in the file's line endings and with its byte-order mark. */
export function encodeText(file: TextFile): string {
  const body = file.eol === "\r\n" ? file.text.replace(/\r?\n/g, "\r\n") : file.text;
  return file.bom ? `\uFEFF${body}` : body;
}

/**
 * Writes a file all at once: a temporary file beside it, then a rename, so a crash or a cancelled
 * call never leaves half a file. Keeps the mode of the file it replaces; follows a symlink to the
 * file it names instead of replacing the link.
 */
export async function writeFileAtomic(target: string, content: string): Promise<void> {
  const real = await fs.realpath(target).catch(() => target);
  const mode = await fs.stat(real).then(
    (s) => s.mode & 0o7777,
    () => undefined,
  );
  await fs.mkdir(path.dirname(real), { recursive: true });
  const temp = path.join(path.dirname(real), `.${path.basename(real)}.${randomBytes(6).toString("hex")}.wren-tmp`);
  try {
    await fs.writeFile(temp, content, mode === undefined ? {} : { mode });
    await fs.rename(temp, real);
  } catch (error) {
    await fs.rm(temp, { force: true });
    throw error;
  }
}

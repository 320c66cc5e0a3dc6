import { looksBinary } from "./text-file.js";

/** What Read says about a file it does not show as text. */
export interface FileDescription {
  kind: "image" | "pdf";
  /** The media type, e.g. `image/png`, `application/pdf`. */
  mediaType: string;
  width?: number;
  height?: number;
  /** Size on disk in bytes. */
  bytes: number;
}

const IMAGE_TYPES: Record<string, string> = {
  png: "image/png",
  jpg: "image/jpeg",
  gif: "image/gif",
  webp: "image/webp",
  bmp: "image/bmp",
  tiff: "image/tiff",
  ico: "image/x-icon",
  cur: "image/x-icon",
  heif: "image/heif",
  avif: "image/avif",
  psd: "image/vnd.adobe.photoshop",
};

/**
 * Recognises images (by their header, with dimensions) and PDFs from a file's first bytes.
 * `head` should hold enough of the file for a JPEG's frame header (a few hundred KB). Only binary
 * content is taken for an image: some image signatures are plain letters (`BM` starts a bitmap).
 * image-size loads on the first binary file, not when the assistant starts.
 */
export async function describeFile(head: Uint8Array, bytes: number): Promise<FileDescription | undefined> {
  if (Buffer.from(head.subarray(0, 5)).toString("latin1") === "%PDF-") return { kind: "pdf", mediaType: "application/pdf", bytes };
  if (!looksBinary(head)) return undefined;
  const { imageSize } = await import("image-size");
  try {
    const size = imageSize(head);
    const mediaType = size.type ? IMAGE_TYPES[size.type] : undefined;
    if (!mediaType) return undefined;
    const description: FileDescription = { kind: "image", mediaType, bytes };
    if (size.width) description.width = size.width;
    if (size.height) description.height = size.height;
    return description;
  } catch {
    return undefined;
  }
}

/** e.g. `12.3 KB`. */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  const units = ["KB", "MB", "GB", "TB"];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(1)} ${units[unit]}`;
}

/** One sentence for the model and the user. */
export function describeInWords(d: FileDescription, pdfVersion?: string): string {
  if (d.kind === "pdf") {
    return `PDF document${pdfVersion ? ` (version ${pdfVersion})` : ""}, ${formatBytes(d.bytes)}. Its text is not extracted here.`;
  }
  const dims = d.width && d.height ? `, ${d.width}×${d.height} pixels` : "";
  return `Image (${d.mediaType}${dims}), ${formatBytes(d.bytes)}. Its pixels are not shown as text.`;
}

import { WrenError } from "../shared/errors.js";

const units: Record<string, number> = {
  b: 1,
  k: 1e3,
  kb: 1e3,
  kib: 1024,
  m: 1e6,
  mb: 1e6,
  mib: 1024 ** 2,
  g: 1e9,
  gb: 1e9,
  gib: 1024 ** 3,
  t: 1e12,
  tb: 1e12,
  tib: 1024 ** 4,
};

/** Parses a size such as `512MB`, `1.5 GiB` or `1048576` into bytes (SI units are powers of 1000). */
export function parseBytes(text: string): number {
  const match = /^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$/i.exec(text);
  const factor = match ? units[(match[2] || "b").toLowerCase()] : undefined;
  if (!match || factor === undefined) {
    throw new WrenError("bad_request", `"${text}" is not a size.`, {
      hint: "Write a number with a unit, e.g. 512MB, 8GB or 1.5GiB.",
    });
  }
  return Math.round(Number(match[1]) * factor);
}

/** Formats bytes for people: `1.2 MB`, `4.7 GB` (SI units, as download sizes are usually quoted). */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes)) return "?";
  const abs = Math.abs(bytes);
  if (abs < 1000) return `${bytes} B`;
  const names = ["kB", "MB", "GB", "TB", "PB"];
  let value = bytes;
  let index = -1;
  while (Math.abs(value) >= 1000 && index < names.length - 1) {
    value /= 1000;
    index++;
  }
  return `${value.toFixed(value >= 100 ? 0 : 1)} ${names[index]}`;
}

/** Formats a duration in seconds as `42s`, `3m05s`, `1h02m`. */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return "--";
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, "0")}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, "0")}m`;
}

import path from "node:path";

/** A path for people to read: the home directory shown as `~`. */
export function tildify(file: string, home: string): string {
  if (home && (file === home || file.startsWith(home + path.sep))) return "~" + file.slice(home.length);
  return file;
}

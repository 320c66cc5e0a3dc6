import type { Word } from "./ir.js";
import { expandTilde, type PathContext } from "./paths.js";

/**
 * httpie (`http`, `https`) opens the file a request item names (`@FILE`, `field@FILE`,
 * `field=@FILE`, `field:=@FILE`) through Python's `os.path.expanduser`, so a `~` there is home
 * (`~name`, that user's), though the shell leaves a `~` after `@` as it is; xh (`xh`, `xhs`) expands
 * `~` and `~/…` alone.
 */
const EXPANDS_USER: Readonly<Record<string, "user" | "home">> = { http: "user", https: "user", xh: "home", xhs: "home" };

/** The `@` of an item that names a file, and the path after it. */
const FILE_ITEM = /^((?:[^=:@/]*(?:=|:=)?)?@)(~.*)$/s;

/** A command's arguments with the `~` of its request items' files read as the client reads it: `@~/.ssh/id_rsa` as `@$HOME/.ssh/id_rsa`. */
export function httpieItemPaths(name: string, args: Word[], paths: PathContext): Word[] {
  const expands = EXPANDS_USER[name];
  if (!expands) return args;
  return args.map((w) => {
    const m = w.dynamic ? null : FILE_ITEM.exec(w.text);
    const [, at = "", file = ""] = m ?? [];
    if (!m || (expands === "home" && !/^~(\/|$)/.test(file))) return w;
    const expanded = expandTilde(file, paths);
    return typeof expanded === "string" ? { ...w, text: at + expanded } : w;
  });
}

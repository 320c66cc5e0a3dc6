import os from "node:os";
import path from "node:path";
import type { ToolContext } from "./tool.js";

/** A path the model gave, made absolute against the session's working directory (`~` is home). */
export function resolveToolPath(ctx: ToolContext, input: string): string {
  let p = input;
  if (p === "~") p = os.homedir();
  else if (p.startsWith("~/") || p.startsWith("~\\")) p = path.join(os.homedir(), p.slice(2));
  return path.resolve(ctx.cwd(), p);
}

/** How a path is shown to the user: relative inside the project, absolute outside it. */
export function displayPath(ctx: ToolContext, absolute: string): string {
  const rel = path.relative(ctx.projectRoot, absolute);
  if (rel === "") return ".";
  return rel.startsWith("..") || path.isAbsolute(rel) ? absolute : rel;
}

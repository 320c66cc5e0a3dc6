import path from "node:path";
import { isInside } from "./path-pattern.js";

/**
 * wren's own folder in the project (`.wren/`, where the project's permission rules live). A model
 * that could write there could allow itself anything, so writes there ask every time: no rule and
 * no mode but bypass lets them through.
 */
export function isProtectedPath(target: string, projectRoot: string): boolean {
  return isInside(target, path.join(projectRoot, ".wren"));
}

export const PROTECTED_REASON = "it is wren's own folder, where the project's permission rules live, so changes there always ask";

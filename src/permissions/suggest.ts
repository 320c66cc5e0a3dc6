import path from "node:path";
import { literalCommandPattern } from "./command-pattern.js";
import { isInside, literalPathGlob, type PathBases } from "./path-pattern.js";
import { isGuardedPath, type Subject } from "./subjects.js";
import { isMcpTool, ruleToolName } from "./tool-names.js";
import type { PermissionRequest } from "./types.js";

/**
 * Rule patterns that allow exactly the subjects that asked: one per command part (`Bash(npm test)`),
 * per path (`Edit(src/a.ts)`, `Read(~/notes/a.md)`, `Read(/etc/hosts)`), the host
 * (`WebFetch(domain:docs.rs)`), or the tool itself. Empty when some subject cannot be written as a
 * rule (a command with a value only known at run time).
 */
export function suggestionsFor(request: PermissionRequest, asking: Subject[], bases: PathBases): string[] {
  // MCP rules name a tool or a server, never what it touches; outside paths then cannot be remembered.
  if (isMcpTool(request.tool)) return asking.some(isGuardedPath) ? [] : [request.tool];
  const out = new Set<string>();
  const tool = ruleToolName(request.tool);
  for (const subject of asking) {
    switch (subject.kind) {
      case "part":
        if (subject.part.dynamic) return [];
        out.add(`${request.tool}(${literalCommandPattern(subject.part.text)})`);
        break;
      case "path":
        out.add(`${tool}(${pathPattern(subject.path, subject.inside, bases)})`);
        break;
      case "url":
        if (subject.host === undefined) return [];
        out.add(`${request.tool}(domain:${subject.host})`);
        break;
      case "call":
        out.add(request.tool);
        break;
    }
  }
  return [...out];
}

function pathPattern(abs: string, inside: boolean, bases: PathBases): string {
  const slashes = (p: string): string => p.split(path.sep).join("/");
  if (inside) {
    const below = literalPathGlob(slashes(path.relative(bases.projectRoot, abs)));
    // A rule starting with ~ names a home (`~bob/x` is user bob's), one starting with $ or % a variable (refused): a project path that does is written `./~…`.
    return /^[~$%]/.test(below) ? `./${below}` : below || ".";
  }
  const fromHome = path.relative(bases.home, abs);
  if (fromHome !== "" && isInside(abs, bases.home)) return `~/${literalPathGlob(slashes(fromHome))}`;
  return literalPathGlob(slashes(abs));
}

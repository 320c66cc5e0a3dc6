import path from "node:path";
import type { CommandAnalyzer, CommandBreakdown, CommandPart } from "./command-parts.js";
import { showLiteralTilde } from "./command-pattern.js";
import { hostOf, matchDomainPattern } from "./domain-pattern.js";
import { isInside, matchPathPattern, type PathBases } from "./path-pattern.js";
import type { ParsedPattern } from "./rule-syntax.js";
import type { PermissionRequest } from "./types.js";
import { classifyPath } from "../shell/paths.js";
import type { ShellKind } from "../shell/types.js";
import { RUN_TIME } from "../shell/ir.js";

/**
 * What rules are matched against, one at a time: each simple command of a command line, each
 * path, the URL, or (for a call with none of these) the call itself. A call is allowed only when
 * every subject is.
 */
export type Subject =
  | { kind: "part"; part: CommandPart }
  | {
      kind: "path";
      path: string;
      inside: boolean;
      /** Keys, credentials or shell start-up files in home (`~/.ssh`, `~/.aws`, `~/.bashrc`…): these ask even inside the project. */
      sensitive: boolean;
    }
  | { kind: "url"; url: string; host: string | undefined }
  | { kind: "call" };

export interface Subjects {
  list: Subject[];
  /** For `Bash`: the command line taken apart. */
  command?: CommandBreakdown;
  /** For `Bash`: where it runs. */
  cwd?: string;
}

export function subjectsOf(request: PermissionRequest, bases: PathBases, commands: CommandAnalyzer, shell: ShellKind): Subjects {
  if (request.command !== undefined) {
    const cwd = path.resolve(bases.projectRoot, request.cwd ?? ".");
    const command = commands.breakdown(request.command, { cwd, home: bases.home, shell });
    const list: Subject[] = command.parts.map((part) => ({ kind: "part", part }));
    return { list: list.length > 0 ? list : [{ kind: "call" }], command, cwd };
  }
  const list = pathSubjects(request, bases);
  if (request.url !== undefined) list.push({ kind: "url", url: request.url, host: hostOf(request.url) });
  return { list: list.length > 0 ? list : [{ kind: "call" }] };
}

function pathSubjects(request: PermissionRequest, bases: PathBases): Subject[] {
  return (request.paths ?? []).map((p) => {
    const abs = path.resolve(bases.projectRoot, p);
    const sensitive = classifyPath(abs, { cwd: bases.projectRoot, home: bases.home }) === "home-sensitive";
    return { kind: "path", path: abs, inside: isInside(abs, bases.projectRoot), sensitive };
  });
}

/**
 * Whether a rule's specifier matches a subject. `cautious` (deny and ask rules) also matches what a
 * command part runs through wrappers and `sh -c`; allow rules match the command as written.
 */
export function matchesSubject(pattern: ParsedPattern, subject: Subject, bases: PathBases, cautious = false): boolean {
  const spec = pattern.specifier;
  switch (spec.kind) {
    case "any":
      return true;
    case "command":
      return subject.kind === "part" && (spec.test(subject.part.text) || (cautious && subject.part.forms.some((f) => spec.test(f))));
    case "path":
      return subject.kind === "path" && matchPathPattern(spec, subject.path, bases, cautious);
    case "domain":
      return subject.kind === "url" && subject.host !== undefined && matchDomainPattern(spec, subject.host);
  }
}

/**
 * Whether a command rule may match a part whose relative paths follow a `cd` wren cannot follow
 * (`rm id_rsa` after `cd "$D"` may be `rm ~/.ssh/id_rsa`): for deny and ask rules, which then ask.
 */
export function mayMatchPlaceless(pattern: ParsedPattern, subject: Subject): boolean {
  const spec = pattern.specifier;
  return spec.kind === "command" && subject.kind === "part" && (subject.part.placeless?.some((form) => spec.test(form)) ?? false);
}

/** A subject in words, for reasons: the command part, the path (relative inside the project), the host. */
/**
 * Whether a part's command, or one its wrappers run (`sudo $(echo rm) x`), has a name known only
 * when it runs (`$(echo rm) x`): it may be any command, so any deny or ask command rule may be it.
 */
export function nameKnownAtRunTime(subject: Subject): boolean {
  if (subject.kind !== "part") return false;
  return [subject.part.text, ...subject.part.forms].some((form) => {
    const name = form.split(" ").find((word) => !/^[A-Za-z_]\w*\+?=/.test(word));
    return name?.includes(RUN_TIME) ?? false;
  });
}

export function describeSubject(subject: Subject, bases: PathBases): string {
  switch (subject.kind) {
    case "part":
      return showLiteralTilde(subject.part.text).split(RUN_TIME).join("…");
    case "path":
      return subject.inside ? path.relative(bases.projectRoot, subject.path) || "." : subject.path;
    case "url":
      return subject.host ?? subject.url;
    case "call":
      return "the call";
  }
}

/** A path that asks whatever the mode, unless a rule names it: outside the project, or sensitive. */
export function isGuardedPath(subject: Subject): boolean {
  return subject.kind === "path" && (!subject.inside || subject.sensitive);
}

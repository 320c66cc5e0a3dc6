import { WrenError } from "../shared/errors.js";
import { compileCommandPattern, type CommandPattern } from "./command-pattern.js";
import { compileDomainPattern, type DomainPattern } from "./domain-pattern.js";
import { compilePathPattern, WINDOWS_HOST, type PathFlavour, type PathPattern } from "./path-pattern.js";
import { COMMAND_TOOLS, KNOWN_TOOLS, MCP_PREFIX, NETWORK_TOOLS, type ToolMatcher } from "./tool-names.js";
import type { PermissionRule } from "./types.js";

/** What a rule says about a call beyond its tool. */
export type Specifier =
  | { kind: "any" }
  | ({ kind: "command" } & CommandPattern)
  | ({ kind: "path" } & PathPattern)
  | ({ kind: "domain" } & DomainPattern);

/** A rule pattern, parsed: `Tool` or `Tool(specifier)`. */
export interface ParsedPattern {
  tool: ToolMatcher;
  specifier: Specifier;
  /** Compared element by element; the larger wins (see {@link compareSpecificity}). */
  specificity: readonly number[];
}

const TOOL_NAME = /^[A-Za-z][A-Za-z0-9_-]*$/;
const SYNTAX_HINT =
  "Write a rule as Tool or Tool(specifier): Bash(npm test), Bash(git *), Edit(src/**), Read(~/notes/*.md), WebFetch(domain:docs.rs), mcp__server__tool, mcp__server. See the Permissions section of docs/assistant.md.";

function invalid(pattern: string, why: string): WrenError {
  return new WrenError("bad_request", `"${pattern}" is not a valid permission rule: ${why}.`, { hint: SYNTAX_HINT });
}

function parseTool(name: string, pattern: string): ToolMatcher {
  if (name.startsWith(MCP_PREFIX)) {
    const rest = name.slice(MCP_PREFIX.length);
    const [server, ...tool] = rest.split("__");
    if (!server || !TOOL_NAME.test(server)) throw invalid(pattern, "an MCP rule names a server: mcp__server or mcp__server__tool");
    const toolName = tool.join("__");
    if (toolName === "" || toolName === "*") return { kind: "mcp-server", server };
    return { kind: "tool", name };
  }
  if (!TOOL_NAME.test(name)) throw invalid(pattern, `"${name}" is not a tool name`);
  // Tool names are case-sensitive: `bash(npm test)` would silently match nothing.
  const known = KNOWN_TOOLS.find((t) => t.toLowerCase() === name.toLowerCase());
  if (known && known !== name) throw invalid(pattern, `tool names are case-sensitive: write ${known}`);
  return { kind: "tool", name };
}

function parseSpecifier(tool: ToolMatcher, spec: string, pattern: string, flavour: PathFlavour): Specifier {
  if (spec === "*") return { kind: "any" };
  const name = tool.kind === "tool" ? tool.name : "";
  if (tool.kind === "mcp-server" || name.startsWith(MCP_PREFIX)) {
    throw invalid(pattern, "MCP rules take no specifier; name the tool (mcp__server__tool) or the server (mcp__server)");
  }
  try {
    if (COMMAND_TOOLS.has(name)) return { kind: "command", ...compileCommandPattern(spec) };
    if (spec.startsWith("domain:")) return { kind: "domain", ...compileDomainPattern(spec.slice("domain:".length)) };
    if (NETWORK_TOOLS.has(name)) throw new Error(`${name} rules name a domain: ${name}(domain:docs.rs)`);
    return { kind: "path", ...compilePathPattern(spec, flavour) };
  } catch (error) {
    if (error instanceof WrenError) throw error;
    throw invalid(pattern, error instanceof Error ? error.message : String(error));
  }
}

/**
 * How specific a rule is: a specifier beats none; an exact command or host beats a wildcard; then
 * more literal characters win; a rule for one MCP tool beats one for its whole server.
 */
function specificityOf(tool: ToolMatcher, spec: Specifier): number[] {
  const toolLevel = tool.kind === "tool" ? 1 : 0;
  switch (spec.kind) {
    case "any":
      return [0, 0, 0, toolLevel];
    case "command":
      return [1, spec.exact ? 1 : 0, spec.literal, toolLevel];
    case "path":
      return [1, 0, spec.literal, toolLevel];
    case "domain":
      return [1, spec.subdomains ? 0 : 1, spec.host.length, toolLevel];
  }
}

/** Every decision reads every rule: a session's few patterns are parsed once (bounded, in case of many). */
const cache = new Map<string, ParsedPattern>();
const CACHE_LIMIT = 1000;

/**
 * Parses a rule pattern; throws a `bad_request` WrenError that says what is wrong with it. Every rule
 * (flags, settings files, answers) is read here, a path in it as `flavour` says (see {@link PathFlavour}).
 */
export function parseRulePattern(pattern: string, flavour: PathFlavour = {}): ParsedPattern {
  const windows = flavour.windows ?? WINDOWS_HOST;
  const key = `${windows ? "w" : "p"}${pattern}`;
  const cached = cache.get(key);
  if (cached) return cached;
  const text = pattern.trim();
  const open = text.indexOf("(");
  let parsed: ParsedPattern;
  if (open < 0) {
    const tool = parseTool(text, pattern);
    parsed = { tool, specifier: { kind: "any" }, specificity: specificityOf(tool, { kind: "any" }) };
  } else {
    if (!text.endsWith(")")) throw invalid(pattern, "the specifier must end with )");
    const tool = parseTool(text.slice(0, open), pattern);
    const spec = text.slice(open + 1, -1).trim();
    if (spec === "") throw invalid(pattern, "the parentheses are empty; leave them out to match every call of the tool");
    const specifier = parseSpecifier(tool, spec, pattern, { windows });
    parsed = { tool, specifier, specificity: specificityOf(tool, specifier) };
  }
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(key, parsed);
  return parsed;
}

/** Negative when `a` is less specific than `b`, positive when more, 0 when equal. */
export function compareSpecificity(a: ParsedPattern, b: ParsedPattern): number {
  for (let i = 0; i < Math.max(a.specificity.length, b.specificity.length); i++) {
    const d = (a.specificity[i] ?? 0) - (b.specificity[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/** Rules given on the command line (`--allow`, `--ask`, `--deny`), checked; scope `flag`. */
export function flagRules(lists: Partial<Record<"allow" | "ask" | "deny", readonly string[]>>): PermissionRule[] {
  return (["allow", "ask", "deny"] as const).flatMap((action) =>
    (lists[action] ?? []).map((pattern) => {
      parseRulePattern(pattern);
      return { action, pattern, scope: "flag" as const };
    }),
  );
}

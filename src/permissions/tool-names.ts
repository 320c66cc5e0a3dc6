/**
 * Which tool calls a rule's tool name covers. `Edit` rules cover every tool that edits files and
 * `Read` rules every tool that reads them, so `Edit(src/**)` also lets `Write` create files there
 * and `Read(~/.ssh)` in `deny` also keeps `Grep` out. `mcp__server` covers all of a server's tools.
 */
const GROUPS: Readonly<Record<string, readonly string[]>> = {
  Edit: ["Edit", "Write", "MultiEdit", "NotebookEdit"],
  Read: ["Read", "Glob", "Grep", "LS", "NotebookRead"],
};

/** Tools whose specifier is a command line. */
export const COMMAND_TOOLS: ReadonlySet<string> = new Set(["Bash"]);
/** Tools whose specifier is `domain:host`. */
export const NETWORK_TOOLS: ReadonlySet<string> = new Set(["WebFetch", "WebSearch"]);

export const MCP_PREFIX = "mcp__";

/** wren's built-in tools, so that a rule naming one in the wrong case is caught. */
export const KNOWN_TOOLS: readonly string[] = [
  "Bash", "Read", "Write", "Edit", "MultiEdit", "NotebookEdit", "Glob", "Grep", "LS", "WebFetch", "WebSearch",
  "AskUser", "TodoWrite", "ExitPlanMode",
];

export type ToolMatcher = { kind: "tool"; name: string } | { kind: "mcp-server"; server: string };

export function isMcpTool(name: string): boolean {
  return name.startsWith(MCP_PREFIX);
}

export function matchesTool(matcher: ToolMatcher, tool: string): boolean {
  if (matcher.kind === "mcp-server") return tool.startsWith(`${MCP_PREFIX}${matcher.server}__`);
  return matcher.name === tool || (GROUPS[matcher.name]?.includes(tool) ?? false);
}

/**
 * Which tool calls a deny or ask rule's tool name covers: as {@link matchesTool}, and for a rule
 * naming one tool that changes files (`Write`, `MultiEdit`, `NotebookEdit`), every such tool: the
 * file `deny Write(secrets/**)` keeps `Write` from is one `Edit` would change as well (and
 * `echo x > F`, which the rule refuses already). An allow rule stays as narrow as written; a rule
 * for one reading tool (`deny Grep(~/.ssh)`) too, as what each of those reads differs.
 */
export function cautiouslyMatchesTool(matcher: ToolMatcher, tool: string): boolean {
  if (matchesTool(matcher, tool)) return true;
  const changers = GROUPS["Edit"] ?? [];
  return matcher.kind === "tool" && changers.includes(matcher.name) && changers.includes(tool);
}

/** The name a rule for this tool is best written with (`Write` calls are allowed by `Edit(…)` rules). */
export function ruleToolName(tool: string): string {
  for (const [group, members] of Object.entries(GROUPS)) if (members.includes(tool)) return group;
  return tool;
}

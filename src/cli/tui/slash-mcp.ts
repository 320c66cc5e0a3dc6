import { configuredMcpServers } from "../../runtime/agent-mcp.js";
import type { SessionController } from "./session-controller.js";

/** /mcp's subcommands. */
export const MCP_ACTIONS = ["list", "enable", "disable", "reload"] as const;

/** The MCP servers configured for this session's project (wren's config and the project's .mcp.json). */
export function mcpServerNames(c: SessionController): string[] {
  const root = c.run?.session.header.projectRoot;
  return root ? configuredMcpServers(c.config, root).servers.map((s) => s.name) : [];
}

/** Each server: on (with its tool count, and the tools left out as their names were taken), still starting, off (/mcp disable), or why it did not start. */
function listServers(c: SessionController): void {
  const run = c.run;
  if (!run) {
    c.notice({ tone: "info", text: "The session is still starting; try again in a moment." });
    return;
  }
  const names = mcpServerNames(c);
  const starting = run.mcpStarting();
  if (names.length === 0) {
    c.notice({ tone: "info", text: "No MCP servers are configured for this project.", hint: "Add one with wren mcp add NAME -- COMMAND ARGS, then /mcp reload." });
    return;
  }
  const tools = (run.agent.request().tools ?? []).map((t) => t.name);
  // A tool's name is mcp__SERVER__TOOL: with servers a and a__b, mcp__a__b__echo is a__b's (a's
  // b__echo would have the same name, and is left out as taken), so the longest server name wins.
  const serverOf = (tool: string): string | undefined =>
    names.filter((name) => tool.startsWith(`mcp__${name}__`)).reduce<string | undefined>((best, name) => (best === undefined || name.length > best.length ? name : best), undefined);
  const lines = names.flatMap((name) => {
    if (c.choice.disabledMcpServers.includes(name)) return [`  ${name}  off (/mcp enable ${name} turns it on)`];
    const failures = run.mcpFailures.filter((f) => f.server === name);
    const failure = failures.find((f) => f.tool === undefined);
    if (failure) return [`  ${name}  not started: ${failure.error.message}`];
    if (starting.includes(name)) return [`  ${name}  starting (its tools join the session when it is ready)`];
    const count = tools.filter((t) => serverOf(t) === name).length;
    // On, without the tools whose names another tool had first.
    return [`  ${name}  on, ${count} tool${count === 1 ? "" : "s"}`, ...failures.map((f) => `    left out: ${f.error.message}`)];
  });
  c.notice({ tone: "info", text: ["MCP servers:", ...lines].join("\n") });
}

/** `/mcp list | enable NAME | disable NAME | reload`. */
export async function runMcp(c: SessionController, args: string): Promise<void> {
  const [action = "list", name] = args.trim().split(/\s+/).filter(Boolean);
  switch (action) {
    case "list":
      return listServers(c);
    case "enable":
    case "disable": {
      const names = mcpServerNames(c);
      if (!name || !names.includes(name)) {
        c.notice({
          tone: "error",
          text: name ? `There is no MCP server '${name}' here.` : `/mcp ${action} needs a server's name.`,
          hint: names.length ? `The servers: ${names.join(", ")}.` : "No MCP servers are configured for this project (wren mcp add adds one).",
        });
        return;
      }
      const others = c.choice.disabledMcpServers.filter((s) => s !== name);
      const disabled = action === "disable" ? [...others, name] : others;
      if (await c.reopen({ disabledMcpServers: disabled })) c.notice({ tone: "success", text: `MCP server '${name}' ${action === "disable" ? "is off: its tools are no longer offered" : "is on again"} for this session.` });
      return;
    }
    case "reload": {
      // The config is read again (as the session read it: its flags too), so a server added meanwhile (wren mcp add) starts too.
      if (await c.reopen({}, await c.reloadConfig())) c.notice({ tone: "success", text: "MCP servers restarted with the config as it is now." });
      return;
    }
    default:
      c.notice({ tone: "error", text: `/mcp has no subcommand '${action}'.`, hint: `Use /mcp ${MCP_ACTIONS.join(" | ")}.` });
  }
}

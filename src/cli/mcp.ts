import type { McpServerConfig } from "../config/sections/mcp.js";
import { withHintBelow } from "./report-error.js";
import { addMcpServer, checkMcpServers, listMcpServers, removeMcpServer, type McpServerCheck } from "../runtime/agent-mcp-config.js";
import { serializeError, WrenError } from "../shared/errors.js";
import { renderTable } from "./commands/table.js";
import { loadProjectMcpConsent } from "../runtime/project-mcp-consent.js";
import { mcpServerTarget } from "../runtime/agent-mcp.js";
import { printableText, visibleText } from "../shared/visible-text.js";
import { describeWaitingServer } from "./waiting-mcp-server.js";

const where = () => ({ cwd: process.cwd() });

/** `stdio` with its command line (shell-quoted), or `http` with its URL. */
function transportOf(config: McpServerConfig): { transport: "stdio" | "http"; target: string } {
  return { transport: "command" in config ? "stdio" : "http", target: mcpServerTarget(config) };
}

/** What a checked server's STATUS column says. */
function statusOf(check: McpServerCheck): string {
  if (check.waiting) return check.waiting.changed ? "changed, waiting for consent" : "waiting for consent";
  return check.error ? "failed" : `ok, ${check.tools.length} tool${check.tools.length === 1 ? "" : "s"}`;
}

/**
 * `wren mcp list [--check] [--json]`; exit status 1 when `--check` finds a server that does not
 * start. A project's server the user has not accepted is not started (and is no failure).
 */
export async function printMcpList(options: { check?: boolean; json?: boolean }): Promise<number> {
  const { servers, failures, projectRoot } = await listMcpServers(where());
  const checks = options.check ? await checkMcpServers(servers, projectRoot, await loadProjectMcpConsent({ projectRoot })) : undefined;
  const waiting = (checks ?? []).flatMap((c) => (c.waiting ? [c.waiting] : []));
  const checkOf = (name: string): McpServerCheck | undefined => checks?.find((c) => c.name === name);
  if (options.json) {
    const rows = servers.map((s) => {
      const check = checkOf(s.name);
      return {
        name: s.name,
        ...transportOf(s.config),
        source: s.source,
        ...(check?.waiting ? { started: false, waiting: check.waiting.changed ? "changed" : "new" } : {}),
        ...(check && !check.waiting ? { started: true, ok: check.error === undefined, tools: check.tools, ...(check.error ? { error: serializeError(check.error) } : {}) } : {}),
      };
    });
    process.stdout.write(`${JSON.stringify({ servers: rows, failures: failures.map((f) => ({ server: f.server, error: serializeError(f.error) })) }, null, 2)}\n`);
  } else {
    if (servers.length === 0 && failures.length === 0) {
      process.stderr.write("wren: no MCP servers configured here. Add one with: wren mcp add NAME -- COMMAND [ARGS...]\n");
    } else if (servers.length > 0) {
      const header = ["NAME", "TRANSPORT", "COMMAND OR URL", "FROM", ...(checks ? ["STATUS"] : [])];
      const rows = servers.map((s) => {
        const { transport, target } = transportOf(s.config);
        const check = checkOf(s.name);
        const status = check === undefined ? [] : [statusOf(check)];
        return [s.name, transport, target, s.source, ...status];
      });
      process.stdout.write(renderTable(header, rows));
      for (const check of checks ?? []) {
        // What the server said of itself (its tools' names and descriptions, its errors) reaches the terminal as text only.
        const name = visibleText(check.name, { oneLine: true });
        if (check.error) process.stdout.write(`\n${name}: ${printableText(check.error.message)}\n${check.error.hint ? `  ${printableText(check.error.hint).replace(/\n/g, "\n  ")}\n` : ""}`);
        else if (check.tools.length > 0) process.stdout.write(`\n${name}:\n${check.tools.map((t) => `  ${visibleText(t.name, { oneLine: true })}  ${printableText(t.description)}`).join("\n")}\n`);
      }
      if (waiting.length > 0) {
        const them = waiting.length === 1 ? "it" : "them";
        // As a session's report says: accepted for the project, or allowed for one run (recorded nowhere).
        const allow = waiting.map((w) => `--allow mcp__${visibleText(w.name, { oneLine: true })}`).join(" ");
        process.stdout.write(
          `\nNot started: the project defines ${waiting.length === 1 ? "this server" : "these servers"} and you have not accepted ${them} as defined:\n${waiting.map((w) => `  ${describeWaitingServer(w)}\n`).join("")}Read ${them}, then accept ${them} with: wren trust. To start ${them} for one run only, recording nothing: wren -p ${allow} (--trust-project starts all of the project's servers).\n`,
        );
      }
    }
    for (const f of failures) process.stderr.write(withHintBelow(f.error, `MCP server '${f.server}' left out: `));
  }
  return checks?.some((c) => c.error) || failures.length > 0 ? 1 : 0;
}

function pairs(values: readonly string[], separator: "=" | ":", flag: string): Record<string, string> | undefined {
  if (values.length === 0) return undefined;
  const out: Record<string, string> = {};
  for (const value of values) {
    const at = value.indexOf(separator);
    if (at <= 0) {
      throw new WrenError("bad_request", `${flag} takes ${separator === "=" ? "KEY=VALUE" : '"Name: value"'}, not "${value}".`, { hint: `For example: ${separator === "=" ? "--env API_TOKEN=abc" : '--header "Authorization: Bearer abc"'}` });
    }
    out[value.slice(0, at).trim()] = value.slice(at + 1).trim();
  }
  return out;
}

/** `wren mcp add NAME -- COMMAND ARGS…` or `wren mcp add NAME --url URL`. */
export function addServer(name: string, command: string[], options: { url?: string; env: string[]; header: string[]; cwd?: string; project?: boolean }): void {
  if ((options.url === undefined) === (command.length === 0)) {
    throw new WrenError("bad_request", options.url === undefined ? `Say how to start '${name}': a command after --, or --url.` : "Give either --url or a command, not both.", {
      hint: "wren mcp add files -- npx -y @modelcontextprotocol/server-filesystem .   or   wren mcp add docs --url https://example.com/mcp",
    });
  }
  const env = pairs(options.env, "=", "--env");
  const headers = pairs(options.header, ":", "--header");
  const server =
    options.url !== undefined
      ? { type: "http", url: options.url, ...(headers ? { headers } : {}) }
      : { command: command[0], args: command.slice(1), ...(env ? { env } : {}), ...(options.cwd ? { cwd: options.cwd } : {}) };
  const { file, server: added } = addMcpServer(name, server, options.project ? "project" : "user", where());
  const { transport, target } = transportOf(added);
  process.stderr.write(`wren: added the MCP server '${name}' (${transport}: ${target}) to ${file}; its tools run only where a rule allows them, e.g. --allow mcp__${name}\n`);
}

/** `wren mcp rm NAME`. */
export function removeServer(name: string, options: { project?: boolean }): void {
  const { file } = removeMcpServer(name, options.project ? "project" : "user", where());
  process.stderr.write(`wren: removed the MCP server '${name}' from ${file}\n`);
}

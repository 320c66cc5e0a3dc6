import type { z } from "zod";
import { MCP_SERVER_NAME_RULE, mcpServerNameSchema, mcpServerSchema, type McpServerConfig } from "../config/sections/mcp.js";
import { WrenError } from "../shared/errors.js";

type Issue = z.core.$ZodIssue;

/**
 * A server definition checked as wren starts servers, for `wren mcp add` and a session's
 * `.mcp.json` alike: the server, or a `bad_request` whose message says in a sentence what is wrong
 * (`The MCP server 'docs' is not one wren can start: its URL "x" is not an http:// or https://
 * URL.`), never zod's issue text. `hint` is the caller's next step; `urlHint` replaces it where the
 * URL is the problem.
 */
export function checkMcpServer(name: string, server: unknown, hints: { hint?: string; urlHint?: string } = {}): McpServerConfig {
  if (!mcpServerNameSchema.safeParse(name).success) {
    throw new WrenError("bad_request", `'${name}' cannot name an MCP server: use ${MCP_SERVER_NAME_RULE}.`, { hint: "The name becomes part of tool names: mcp__<server>__<tool>." });
  }
  const checked = mcpServerSchema.safeParse(server);
  if (checked.success) return checked.data;
  const fields = isTable(server) ? server : undefined;
  const url = fields?.["url"];
  const urlIssue = checked.error.issues.some((issue) => issue.path[0] === "url");
  const problem =
    typeof url === "string" && urlIssue
      ? `its URL "${url}" is not an http:// or https:// URL`
      : fields === undefined
        ? `it is ${describeValue(server)}, not an object with a "command" or a "url"`
        : branchIssues(checked.error.issues, fields).map((issue) => describeIssue(issue, fields)).join("; ");
  const hint = typeof url === "string" && urlIssue ? (hints.urlHint ?? hints.hint) : hints.hint;
  throw new WrenError("bad_request", `The MCP server '${name}' is not one wren can start: ${problem}.`, hint === undefined ? {} : { hint });
}

function isTable(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** A server with a `url` or an HTTP `type` is judged as an HTTP server, any other as a stdio one. */
function branchIssues(issues: readonly Issue[], server: Record<string, unknown>): readonly Issue[] {
  const http = "url" in server || server["type"] === "http" || server["type"] === "streamable-http";
  return issues.flatMap((issue) => (issue.code === "invalid_union" ? (issue.errors[http ? 1 : 0] ?? issue.errors[0] ?? []) : [issue]));
}

const TYPE_NAMES: Record<string, string> = { string: "a string", array: "a list", object: "an object", record: "an object" };

function describeValue(value: unknown): string {
  if (typeof value === "string") return `the string ${JSON.stringify(value)}`;
  if (Array.isArray(value)) return "a list";
  if (value === null) return "null";
  if (typeof value === "object") return "an object";
  return JSON.stringify(value) ?? "nothing";
}

function describeIssue(issue: Issue, server: Record<string, unknown>): string {
  const key = issue.path.map(String).join(".");
  switch (issue.code) {
    case "invalid_type": {
      const input = issue.path.reduce<unknown>((at, part) => (isTable(at) || Array.isArray(at) ? (at as Record<PropertyKey, unknown>)[part] : undefined), server);
      if (input === undefined) {
        return key === "command" ? `"command" is missing (the program that runs the server; or "url", for an HTTP server)` : `"${key}" is missing`;
      }
      return `"${key}" should be ${TYPE_NAMES[issue.expected] ?? issue.expected}, not ${describeValue(input)}`;
    }
    case "unrecognized_keys":
      return `${issue.keys.map((k) => `"${k}"`).join(", ")} ${issue.keys.length === 1 ? "is not a key" : "are not keys"} of ${"url" in server ? "an HTTP" : "a stdio"} server`;
    case "invalid_value":
      return `"${key}" is ${JSON.stringify(server[key] ?? issue.input)}, not one of ${issue.values.map((v) => JSON.stringify(v)).join(", ")}`;
    case "too_small":
      return `"${key}" is empty`;
    default:
      return `"${key}": ${issue.message}`;
  }
}

import { z } from "zod";

/** A server wren starts and talks to over its stdin/stdout. */
export const mcpStdioServerSchema = z.strictObject({
  type: z.literal("stdio").optional().describe("How to reach the server; `stdio` is the default when `command` is given."),
  command: z.string().min(1).describe("The program that runs the server, e.g. `npx` or `uvx`."),
  args: z.array(z.string()).default([]).describe("Its arguments."),
  env: z.record(z.string(), z.string()).optional().describe("Variables added to a minimal safe environment (PATH, HOME, …)."),
  cwd: z.string().optional().describe("Where to start it (default: the project directory)."),
});

/** A server reached over MCP's streamable HTTP transport. */
export const mcpHttpServerSchema = z.strictObject({
  type: z.enum(["http", "streamable-http"]).describe("`http`: MCP's streamable HTTP transport."),
  url: z.url({ protocol: /^https?$/ }).describe("The server's MCP endpoint."),
  headers: z.record(z.string(), z.string()).optional().describe("Headers sent with every request (e.g. authorization)."),
});

/** One MCP server, as `.mcp.json`-style configs write it. */
export const mcpServerSchema = z.union([mcpStdioServerSchema, mcpHttpServerSchema]);

/** Servers by name; the name becomes part of tool names: `mcp__<server>__<tool>`. */
export const mcpServersSchema = z.record(z.string().regex(/^[A-Za-z0-9_-]+$/, "letters, digits, '_' and '-' only"), mcpServerSchema);

export type McpServerConfig = z.output<typeof mcpServerSchema>;
export type McpServersConfig = z.output<typeof mcpServersSchema>;

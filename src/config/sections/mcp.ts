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

/** What a server's name may hold, as every place that refuses one says it. */
export const MCP_SERVER_NAME_RULE = "letters, digits, '_' and '-' only, with no '__' and no '_' at the end";

/**
 * A server's name: it becomes part of tool names, `mcp__<server>__<tool>`, where the first `__` ends
 * it: a server `github__x` or `github_` would make its tools' names ones of `github`'s
 * (`mcp__github__x__delete_repo`, `mcp__github___x`), which a rule for `github` allows.
 */
export const mcpServerNameSchema = z
  .string()
  .regex(/^[A-Za-z0-9_-]+$/, MCP_SERVER_NAME_RULE)
  .refine((name) => !name.includes("__") && !name.endsWith("_"), MCP_SERVER_NAME_RULE);

/** Servers by name. */
export const mcpServersSchema = z.record(mcpServerNameSchema, mcpServerSchema);

export type McpServerConfig = z.output<typeof mcpServerSchema>;
export type McpServersConfig = z.output<typeof mcpServersSchema>;

/** `[mcp]`: the MCP servers whose tools the coding assistant is offered. */
export function section() {
  return z
    .strictObject({
      servers: mcpServersSchema
        .default({})
        .describe(
          "Servers by name, each `{ command, args, env?, cwd? }` (stdio) or `{ type = \"http\", url, headers? }` (streamable HTTP). Their tools are offered as `mcp__<server>__<tool>`, and every call needs a permission rule (`--allow mcp__server__tool`). Manage them with `wren mcp add | rm | list`.",
        ),
      projectFile: z
        .boolean()
        .default(true)
        .describe("Also use the servers of the project's `.mcp.json` (`{ \"mcpServers\": { … } }`, as other coding agents write it); a server named in both is taken from wren's config."),
    })
    .prefault({})
    .describe("MCP servers for the coding assistant.");
}

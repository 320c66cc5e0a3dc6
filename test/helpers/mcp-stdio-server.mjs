// An MCP server over stdio, written with the official SDK's server side, for wren's MCP client tests.
import { writeFileSync } from "node:fs";
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import { z } from "zod";

const server = new McpServer({ name: "fixture", version: "1.0.0" });

server.registerTool(
  "echo",
  { description: "Says the text back.", inputSchema: { text: z.string() } },
  async ({ text }) => ({ content: [{ type: "text", text: `echo: ${text}` }] }),
);

server.registerTool(
  "add",
  { description: "Adds two numbers.", inputSchema: { a: z.number(), b: z.number() }, annotations: { readOnlyHint: true } },
  async ({ a, b }) => ({ content: [{ type: "text", text: String(a + b) }] }),
);

server.registerTool("fail", { description: "Always fails." }, async () => ({ content: [{ type: "text", text: "it failed on purpose" }], isError: true }));

server.registerTool(
  "wait",
  { description: "Writes MARKER.started, waits until cancelled, then writes MARKER.", inputSchema: { marker: z.string() } },
  async ({ marker }, extra) =>
    new Promise((resolve) => {
      writeFileSync(`${marker}.started`, "started\n");
      extra.signal.addEventListener("abort", () => {
        writeFileSync(marker, "cancelled\n");
        resolve({ content: [{ type: "text", text: "cancelled" }] });
      });
    }),
);

await server.connect(new StdioServerTransport());

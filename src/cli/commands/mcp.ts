import type { Command } from "commander";

const collect = (value: string, previous: string[]): string[] => [...previous, value];

/** `wren mcp list | add | rm`: the MCP servers whose tools the coding assistant is offered. */
export function registerMcp(program: Command): void {
  const mcp = program.command("mcp").description("MCP servers for the coding assistant: list (and check), add, remove");
  mcp
    .command("list")
    .description("the servers wren -p starts here ([mcp.servers] and the project's .mcp.json), with their transport")
    .option("--check", "start each server (a project's only once you accepted it: wren trust) and list its tools, or say why it did not start")
    .option("--json", "print them as JSON")
    .action(async (options: { check?: boolean; json?: boolean }) => {
      const { printMcpList } = await import("../mcp.js");
      process.exitCode = await printMcpList(options);
    });
  mcp
    .command("add")
    .description("add a server to your config (or the project's wren.toml): wren mcp add NAME -- COMMAND [ARGS...], or wren mcp add NAME --url URL")
    .argument("<name>", "the server's name; its tools are called mcp__NAME__TOOL")
    .argument("[command...]", "the command that starts a stdio server, after --")
    .option("--url <url>", "a streamable HTTP server's MCP endpoint instead of a command")
    .option("--env <KEY=VALUE>", "a variable for a stdio server (repeatable)", collect, [])
    .option("--header <Name: value>", "a header for an HTTP server (repeatable)", collect, [])
    .option("--cwd <dir>", "where a stdio server starts (default: the project directory)")
    .option("--project", "write the project's wren.toml instead of your user config")
    .action(async (name: string, command: string[], options: { url?: string; env: string[]; header: string[]; cwd?: string; project?: boolean }) => {
      const { addServer } = await import("../mcp.js");
      addServer(name, command, options);
    });
  mcp
    .command("rm")
    .description("remove a server from your config (or the project's wren.toml)")
    .argument("<name>", "the server's name")
    .option("--project", "change the project's wren.toml instead of your user config")
    .action(async (name: string, options: { project?: boolean }) => {
      const { removeServer } = await import("../mcp.js");
      removeServer(name, options);
    });
}

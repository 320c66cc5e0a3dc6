import type { Command } from "commander";

export interface TrustFlags {
  yes?: boolean;
  list?: boolean;
  forget?: boolean;
  json?: boolean;
}

/** `wren trust`: accept the allow rules a project's `.wren/settings.toml` holds and the MCP servers it defines, list, or take them back. */
export function registerTrust(program: Command): void {
  program
    .command("trust")
    .description("accept the allow rules of this project's .wren/settings.toml and the MCP servers it defines (a repository writes its own: they allow nothing, and do not start, until you do)")
    .argument("[dir]", "a folder of the project (default: this one)")
    .option("-y, --yes", "accept without asking (needed without a terminal)")
    .option("--list", "the projects whose rules or MCP servers you accepted, with those")
    .option("--forget", "take back what you accepted for this project: its allow rules allow nothing, and its MCP servers do not start, again")
    .option("--json", "with --list: print JSON (refused without --list)")
    .addHelpText(
      "after",
      [
        "",
        "Exit status: 0 when it accepted what the project holds, or there was nothing to accept; 1 when you",
        "answer no; 2 when DIR is not a folder, with --json but not --list, without a terminal and without",
        "--yes (nothing is accepted),",
        "and when the project's wren.toml does not load: its problem is printed, the allow rules and",
        ".mcp.json servers are still shown and accepted, but the MCP servers the file defines are not, until",
        "it loads (wren config validate shows why).",
      ].join("\n"),
    )
    .action(async (dir: string | undefined, flags: TrustFlags) => {
      const { runTrust } = await import("../trust.js");
      process.exitCode = await runTrust(dir, flags);
    });
}

import type { Command } from "commander";

export interface TrustFlags {
  yes?: boolean;
  list?: boolean;
  forget?: boolean;
  json?: boolean;
}

/** `wren trust`: accept the allow rules a project's `.wren/settings.toml` holds, list, or take them back. */
export function registerTrust(program: Command): void {
  program
    .command("trust")
    .description("accept the allow rules of this project's .wren/settings.toml (a repository writes its own: they allow nothing until you do)")
    .argument("[dir]", "a folder of the project (default: this one)")
    .option("-y, --yes", "accept without asking (needed without a terminal)")
    .option("--list", "the projects whose rules you accepted, with those rules")
    .option("--forget", "take back what you accepted for this project: its allow rules allow nothing again")
    .option("--json", "with --list: print JSON")
    .action(async (dir: string | undefined, flags: TrustFlags) => {
      const { runTrust } = await import("../trust.js");
      process.exitCode = await runTrust(dir, flags);
    });
}

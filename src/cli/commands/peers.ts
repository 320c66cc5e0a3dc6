import type { Command } from "commander";

/** Flags of `wren peers list`. */
export interface PeersListFlags {
  json?: boolean;
  wait?: string;
  waitFor: string[];
}

const collect = (value: string, previous: string[]): string[] => [...previous, value];

/** `wren peers list`: the wren servers on the LAN (mDNS), their models, load and health. */
export function registerPeers(program: Command): void {
  const peers = program.command("peers").description("wren servers on the LAN, found over mDNS (peers.advertise, peers.key)");
  peers
    .command("list")
    .description("list the peers that answer on the LAN, with their models, context sizes, hardware, load and health")
    .option("--json", "print JSON")
    .option("--wait <ms>", "how long to listen for answers (default 2000)")
    .option("--wait-for <name>", "stop listening once this peer has answered (repeatable; --wait is then the deadline)", collect, [])
    .action(async (flags: PeersListFlags) => {
      const { peersListCommand } = await import("./peers-action.js");
      process.exitCode = await peersListCommand(flags);
    });
}

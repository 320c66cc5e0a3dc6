import type { Command } from "commander";

interface StartFlags {
  model: string[];
  port?: string;
  host?: string;
  advertise?: boolean;
}

const collect = (value: string, previous: string[]): string[] => [...previous, value];

/** `wren daemon start|stop|status|logs`: the server in the background, one per user. */
export function registerDaemon(program: Command): void {
  const daemon = program.command("daemon").description("run the server in the background (one per user; other commands start it on demand)");
  daemon
    .command("start")
    .description("start the daemon unless it runs")
    .option("-m, --model <ref>", "model to serve (repeatable)", collect, [])
    .option("--host <address>", "address to listen on")
    .option("-p, --port <n>", "TCP port")
    .option("--advertise", "announce the daemon to wren peers on the LAN over mDNS (needs peers.key or WREN_PEERS_KEY)")
    .action(async (flags: StartFlags) => {
      const { daemonStart } = await import("../daemon-cli.js");
      process.exitCode = await daemonStart(flags);
    });
  daemon
    .command("stop")
    .description("stop the daemon")
    .action(async () => {
      const { daemonStop } = await import("../daemon-cli.js");
      process.exitCode = await daemonStop();
    });
  daemon
    .command("status")
    .description("show pid, uptime, address, loaded models and active requests")
    .option("--json", "print JSON")
    .action(async (flags: { json?: boolean }) => {
      const { daemonStatusCommand } = await import("../daemon-cli.js");
      process.exitCode = await daemonStatusCommand(flags.json === true);
    });
  daemon
    .command("logs")
    .description("print the end of the daemon's log, one readable line per record")
    .option("-n, --lines <n>", "lines to print", "50")
    .option("--json", "print the log's lines as written (one JSON record each)")
    .action(async (flags: { lines: string; json?: boolean }) => {
      const { daemonLogsCommand } = await import("../daemon-cli.js");
      process.exitCode = await daemonLogsCommand(Number(flags.lines), flags.json === true);
    });
}

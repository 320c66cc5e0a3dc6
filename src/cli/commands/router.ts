import type { Command } from "commander";
import { WrenError } from "../../shared/errors.js";

/** `wren router log | stats`: who answered recent requests, why, and what it cost. */
export function registerRouter(program: Command): void {
  const router = program.command("router").description("see the router's decisions: who answered, why, and what it cost");
  router
    .command("log")
    .description("list recent routing decisions, newest first: target, reason, attempts passed over, time and cost")
    .option("-n, --limit <count>", "how many decisions to show", "20")
    .option("--json", "print them as JSON")
    .action(async (options: { limit?: string; json?: boolean }) => {
      if (options.limit !== undefined && !/^[1-9]\d*$/.test(options.limit)) {
        throw new WrenError("bad_request", `--limit must be a positive whole number, not "${options.limit}".`, { hint: "For example: wren router log --limit 50" });
      }
      const { runRouterLog } = await import("../../runtime/router-report.js");
      await runRouterLog(options);
    });
  router
    .command("stats")
    .description("totals: requests, errors, fallbacks, tokens and cost per target, and what is left of each budget")
    .option("--json", "print them as JSON")
    .action(async (options: { json?: boolean }) => {
      const { runRouterStats } = await import("../../runtime/router-report.js");
      await runRouterStats(options);
    });
}

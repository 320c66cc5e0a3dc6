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
      const { routerLog } = await import("../../runtime/router-report.js");
      const decisions = await routerLog(Number(options.limit ?? 20));
      if (options.json) process.stdout.write(`${JSON.stringify(decisions, null, 2)}\n`);
      else process.stdout.write((await import("../router-tables.js")).formatDecisions(decisions));
    });
  router
    .command("stats")
    .description("totals: requests, errors, fallbacks, tokens and cost per target, and what is left of each budget")
    .option("--json", "print them as JSON")
    .action(async (options: { json?: boolean }) => {
      const { routerStats } = await import("../../runtime/router-report.js");
      const stats = await routerStats();
      if (options.json) {
        process.stdout.write(`${JSON.stringify(stats, null, 2)}\n`);
        return;
      }
      const { formatBudgets, formatStats } = await import("../router-tables.js");
      process.stdout.write(formatStats(stats) + formatBudgets(stats.budgets ?? []));
    });
}

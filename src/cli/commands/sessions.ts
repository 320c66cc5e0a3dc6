import { Argument, type Command } from "commander";

/** `wren sessions list | show | rm | rate`: the coding assistant's saved conversations. */
export function registerSessions(program: Command): void {
  const sessions = program.command("sessions").description("the coding assistant's sessions: list, show, remove, rate the last answer");
  sessions
    .command("list")
    .description("sessions, most recently used first")
    .option("--json", "print them as JSON")
    .action(async (options: { json?: boolean }) => {
      const { printSessionList } = await import("../sessions.js");
      printSessionList(options);
    });
  sessions
    .command("show")
    .description("print a session's conversation: prompts, answers, tool calls and their decisions")
    .argument("<id>", "the session id")
    .option("--json", "print the transcript's records, one JSON object per line")
    .action(async (id: string, options: { json?: boolean }) => {
      const { printSession } = await import("../sessions.js");
      printSession(id, options);
    });
  sessions
    .command("rm")
    .description("delete a session's transcript and the ratings given in it")
    .argument("<id>", "the session id")
    .option("--keep-ratings", "keep the session's ratings in feedback.jsonl (for wren train export)")
    .action(async (id: string, options: { keepRatings?: boolean }) => {
      const { deleteSession } = await import("../sessions.js");
      deleteSession(id, options);
    });
  sessions
    .command("rate")
    .description("rate the session's last answer good or bad; the rating and the exchange go to feedback.jsonl")
    .argument("<id>", "the session id")
    .addArgument(new Argument("<rating>", "good or bad").choices(["good", "bad"]))
    .option("--note <text>", "why")
    .option("--correction <text>", "the better answer (a bad answer a teacher corrected weighs most)")
    .action(async (id: string, rating: "good" | "bad", options: { note?: string; correction?: string }) => {
      const { rateSession } = await import("../sessions.js");
      await rateSession(id, rating, options);
    });
}

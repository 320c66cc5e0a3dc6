import path from "node:path";
import { listAgentSessions } from "../../runtime/agent-sessions.js";
import type { SessionSummary } from "../../runtime/agent-types.js";
import type { SessionController } from "./session-controller.js";

/** Sessions /resume lists at most. */
const SHOWN = 10;

/** The earlier sessions of this project (started in its folder or below), newest first, this one left out. */
export function projectSessions(c: SessionController): SessionSummary[] {
  const header = c.run?.session.header;
  if (!header) return [];
  return listAgentSessions()
    .filter((s) => s.id !== header.id && s.messages > 0)
    .filter((s) => {
      const rel = path.relative(header.projectRoot, path.resolve(s.cwd));
      return !rel.startsWith("..") && !path.isAbsolute(rel);
    })
    .slice(0, SHOWN);
}

/**
 * `/resume` opens a picker of this project's earlier sessions; `/resume N` (the Nth, newest first)
 * or `/resume ID` (or the start of one) continues one directly.
 */
export async function runResume(c: SessionController, args: string): Promise<void> {
  const sessions = projectSessions(c);
  const pick = args.trim();
  if (!pick && sessions.length === 0) {
    c.notice({ tone: "info", text: "There is no earlier session of this project to resume." });
    return;
  }
  const chosen = !pick ? await c.pickSession(sessions) : /^\d+$/.test(pick) ? sessions[Number(pick) - 1] : sessions.find((s) => s.id.startsWith(pick));
  if (!pick && !chosen) {
    c.flash("Resume cancelled: this session goes on.");
    return;
  }
  if (!chosen) {
    c.notice({ tone: "error", text: `There is no session ${pick} to resume here.`, hint: "Type /resume to pick one of this project's earlier sessions (or /resume N for the Nth, newest first)." });
    return;
  }
  if (await c.reopen({ resume: chosen.id })) c.notice({ tone: "success", text: `Resumed “${chosen.title}”: the next prompt continues that conversation.` });
}

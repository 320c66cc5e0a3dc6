import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { feedbackFile, readFeedback } from "../agent/feedback.js";
import { Session } from "../agent/session.js";
import { sessionsDir } from "../agent/session-store.js";
import { resolvePaths } from "../shared/paths.js";
import { listAgentSessions, rateAgentSession, removeAgentSession } from "./agent-sessions.js";

const weights = { corrected: 10, bad: 3, good: 1 };

describe("wren sessions rm and the session's ratings", () => {
  let home: string;
  let env: Record<string, string>;
  beforeEach(() => {
    home = mkdtempSync(path.join(os.tmpdir(), "wren-sessions-rm-"));
    env = { WREN_HOME: home };
  });
  afterEach(() => rmSync(home, { recursive: true, force: true }));

  const answered = (answer: string): string => {
    const dir = sessionsDir(resolvePaths(env).stateDir);
    const session = Session.create({ dir, cwd: home, projectRoot: home, model: "auto", mode: "default", system: "sys", tools: [] });
    session.push({ role: "user", content: [{ type: "text", text: "What is 2+2?" }] });
    session.push({ role: "assistant", content: [{ type: "text", text: answer }] });
    session[Symbol.dispose]();
    return session.id;
  };
  const log = () => feedbackFile(resolvePaths(env).dataDir);

  it("removes the ratings given in the session with its transcript, so train export no longer has them, and says how many", () => {
    const gone = answered("a private answer");
    const kept = answered("4");
    rateAgentSession(gone, { rating: "bad", correction: "4" }, weights, env);
    rateAgentSession(gone, { rating: "good" }, weights, env);
    rateAgentSession(kept, { rating: "good" }, weights, env);

    expect(removeAgentSession(gone, env)).toEqual({ transcript: true, ratings: 2 });
    expect(listAgentSessions(env).map((s) => s.id)).toEqual([kept]);
    expect(readFeedback(log()).map((e) => e.sessionId)).toEqual([kept]);
    expect(readFileSync(log(), "utf8")).not.toContain("a private answer");
  });

  it("keeps them with keepRatings, and removes the ratings of a session whose transcript is already gone", () => {
    const id = answered("a private answer");
    rateAgentSession(id, { rating: "good" }, weights, env);
    expect(removeAgentSession(id, env, { keepRatings: true })).toEqual({ transcript: true, ratings: 0 });
    expect(readFeedback(log())).toHaveLength(1);
    expect(removeAgentSession(id, env)).toEqual({ transcript: false, ratings: 1 });
    expect(readFeedback(log())).toEqual([]);
    expect(() => removeAgentSession(id, env)).toThrow(`There is no session "${id}".`);
  });
});

import { loadConfig } from "../config/index.js";
import { listAgentSessions, rateAgentSession, readAgentSession, removeAgentSession } from "../runtime/agent-sessions.js";
import type { SkippedLine, TranscriptRecord } from "../runtime/agent-types.js";
import { ago, renderTable } from "./commands/table.js";
import { printableText } from "../shared/visible-text.js";

/** `wren sessions list`. */
export function printSessionList(options: { json?: boolean }): void {
  const sessions = listAgentSessions();
  if (options.json) {
    process.stdout.write(`${JSON.stringify(sessions.map(({ file: _file, ...s }) => s))}\n`);
    return;
  }
  if (sessions.length === 0) {
    process.stdout.write("No sessions yet. Start one with: wren -p \"your task\"\n");
    return;
  }
  process.stdout.write(
    renderTable(
      ["ID", "USED", "MODEL", "MESSAGES", "DIRECTORY", "FIRST PROMPT"],
      sessions.map((s) => [s.id, ago(s.updatedAt), s.model, s.damaged === undefined ? String(s.messages) : "-", s.cwd, s.damaged === undefined ? s.title : "(damaged: see below)"]),
    ),
  );
  for (const s of sessions) {
    if (s.damaged === undefined) continue;
    const next = s.newer ? "Update wren to continue it." : `It cannot be continued; remove it with \`wren sessions rm ${s.id}\`.`;
    process.stdout.write(`\nDamaged: ${s.id}: ${s.damaged}\n  ${next}\n`);
  }
}

function renderRecord(r: TranscriptRecord | SkippedLine): string | undefined {
  switch (r.type) {
    case "skipped":
      return `[a damaged record was skipped here (line ${r.line} of the transcript): a write cut short, by a full disk or the file-size limit]`;
    case "session":
      return `session ${r.id} (${r.model}, ${r.mode} mode) started ${r.createdAt} in ${r.cwd}`;
    case "message": {
      const m = r.message;
      if (typeof m.content === "string") return `${m.role}: ${m.content}`;
      const parts = m.content.map((p) => {
        if (p.type === "text") return p.text;
        if (p.type === "tool-call") return `→ ${p.toolName} ${JSON.stringify(p.input)}`;
        if (p.type === "tool-result") return `← ${p.toolName}${p.isError ? " (error)" : ""}: ${p.output.length > 200 ? `${p.output.slice(0, 200)}…` : p.output}`;
        return "[image]";
      });
      return `${m.role}: ${parts.join("\n  ")}`;
    }
    case "tool-call":
      return `  ${r.name}: ${r.decision}${r.rule ? ` by ${r.rule}` : ""} (${r.reason})`;
    case "turn":
      return r.provenance ? `  [turn ${r.turn}: ${r.provenance.provider}:${r.provenance.model}, ${r.provenance.reason}; ${r.usage.totalTokens} tokens]` : `  [turn ${r.turn}]`;
    case "compaction":
      return `[compacted: ${r.summary}]`;
    case "mode":
      return `[mode: ${r.mode}]`;
    case "end": {
      // What failed, as the run recorded it (an older wren's end records the reason alone).
      const why = typeof r.error?.message === "string" ? `: ${r.error.message.trimEnd()}` : "";
      return `[run ended: ${r.reason}${why}]`;
    }
  }
}

/** `wren sessions show ID`. */
export function printSession(id: string, options: { json?: boolean }): void {
  const records = readAgentSession(id);
  if (options.json) {
    process.stdout.write(records.map((r) => `${JSON.stringify(r)}\n`).join(""));
    return;
  }
  // The model's words and the tools' output, as text: none of their escape sequences reaches the terminal.
  process.stdout.write(`${printableText(records.map(renderRecord).filter(Boolean).join("\n"))}\n`);
}

/** `wren sessions rm ID [--keep-ratings]`: the transcript and, unless kept, the ratings given in the session. */
export function deleteSession(id: string, options: { keepRatings?: boolean }): void {
  const removed = removeAgentSession(id, process.env, options);
  const ratings = `${removed.ratings} rating${removed.ratings === 1 ? "" : "s"}`;
  if (!removed.transcript) process.stderr.write(`wren: session ${id} was removed before; removed its ${ratings} from the feedback log\n`);
  else if (options.keepRatings) process.stderr.write(`wren: removed session ${id}; its ratings stay in the feedback log (--keep-ratings)\n`);
  else process.stderr.write(`wren: removed session ${id}${removed.ratings > 0 ? ` and its ${ratings} from the feedback log` : ""}\n`);
}

/** `wren sessions rate ID good|bad`. */
export async function rateSession(id: string, rating: "good" | "bad", options: { note?: string; correction?: string }): Promise<void> {
  const { config } = await loadConfig({});
  const entry = rateAgentSession(id, { rating, ...(options.note ? { note: options.note } : {}), ...(options.correction ? { correction: options.correction } : {}) }, config.agent.feedback);
  process.stderr.write(`wren: rated the last answer of ${id} ${rating} (weight ${entry.weight})\n`);
}

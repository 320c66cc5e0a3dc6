import type { Provenance, StreamPart, Usage } from "../protocol/stream.js";
import { WrenError } from "../shared/errors.js";
import { statsLine } from "./run-request.js";
import { visibleText } from "../shared/visible-text.js";

type FinishPart = Extract<StreamPart, { type: "finish" }>;

/** What `wren run` saw of a streamed answer. */
export interface PrintedAnswer {
  text: string;
  finish: FinishPart;
  provenance: Provenance | undefined;
  timeToFirstTokenMs: number | undefined;
  totalMs: number;
}

/**
 * Consumes an answer stream: writes text (and tool-call arguments) to stdout as it comes unless
 * `quiet`, and returns the text, the finish part, who answered, and the timings (the model's own
 * when it reports them, else measured here). An `error` part is thrown as its WrenError.
 */
export async function printStream(stream: AsyncIterable<StreamPart>, options: { quiet: boolean }): Promise<PrintedAnswer> {
  const started = performance.now();
  let firstAt: number | undefined;
  let text = "";
  let provenance: Provenance | undefined;
  let finish: FinishPart | undefined;
  for await (const part of stream) {
    if (part.type === "stream-start") {
      provenance = part.provenance ?? provenance;
    } else if (part.type === "text-delta") {
      firstAt ??= performance.now();
      text += part.delta;
      if (!options.quiet) process.stdout.write(part.delta);
    } else if (part.type === "tool-call" && !options.quiet) {
      process.stdout.write(part.input);
    } else if (part.type === "finish") {
      finish = part;
      provenance = part.provenance ?? provenance;
    } else if (part.type === "error") {
      if (text && !options.quiet) process.stdout.write("\n");
      throw new WrenError(part.error.code, part.error.message, part.error.hint ? { hint: part.error.hint } : {});
    }
  }
  if (!finish) throw new WrenError("internal", "The model stopped without finishing its answer.");
  if (!options.quiet && text.length > 0 && !text.endsWith("\n")) process.stdout.write("\n");
  return {
    text,
    finish,
    provenance,
    timeToFirstTokenMs: finish.timings?.timeToFirstTokenMs ?? (firstAt === undefined ? undefined : firstAt - started),
    totalMs: finish.timings?.totalMs ?? performance.now() - started,
  };
}

/** The common part of `wren run --json`: text, finish reason, usage, timings with tokens/s. */
export function answerJson(answer: PrintedAnswer): { text: string; finishReason: string; usage: Usage; timings: Record<string, number | null> } {
  const { finish, totalMs } = answer;
  const ttft = answer.timeToFirstTokenMs;
  const decodeMs = totalMs - (ttft ?? 0);
  return {
    text: answer.text,
    finishReason: finish.finishReason,
    usage: finish.usage,
    timings: {
      timeToFirstTokenMs: ttft ?? null,
      totalMs,
      tokensPerSecond: finish.usage.outputTokens > 1 && decodeMs > 0 ? ((finish.usage.outputTokens - 1) / decodeMs) * 1000 : 0,
    },
  };
}

/** The stats line for stderr, with who answered when the router chose. */
export function answerStats(answer: PrintedAnswer, withProvenance: boolean): string {
  const base = statsLine(answer.finish.usage, answer.timeToFirstTokenMs, answer.totalMs);
  const p = answer.provenance;
  if (!withProvenance || !p) return base;
  // A remote server (a peer, another wren) names the model and the route: shown as text only.
  return `${base}, answered by ${visibleText(`${p.provider}:${p.model} (route ${p.route ?? "-"}, reason ${p.reason})`, { oneLine: true })}`;
}

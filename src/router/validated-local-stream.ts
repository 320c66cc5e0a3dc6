import type { CallOptions, ChatRequest, StreamPart } from "../protocol/index.js";
import { WrenError } from "../shared/errors.js";
import { toolCallProblem } from "./tool-schema.js";

/**
 * Thrown when the local model's tool call is still invalid after its one repair turn: the router
 * escalates the turn to the next target with reason `tool-call`. When none takes over, the client
 * sees it as `unsupported` (400): the request was well formed, but asks for tool use this setup's
 * local model cannot do; it is no upstream failure (5xx would invite retrying the same thing).
 */
export class ToolCallEscalation extends WrenError {
  constructor(readonly problem: string) {
    super("unsupported", `The local model's tool call was still invalid after one repair turn: ${problem}`, {
      hint: "Add a teacher (a cloud target after the local model in the route, see router.routes) so such turns escalate, or use a larger local model that calls tools reliably.",
    });
  }
}

async function collect(stream: AsyncIterable<StreamPart>): Promise<StreamPart[]> {
  const parts: StreamPart[] = [];
  for await (const part of stream) {
    parts.push(part);
    if (part.type === "error") break;
  }
  return parts;
}

function firstProblem(parts: StreamPart[], request: ChatRequest): { problem: string; call: Extract<StreamPart, { type: "tool-call" }> } | undefined {
  for (const part of parts) {
    if (part.type !== "tool-call") continue;
    const problem = toolCallProblem(request.tools ?? [], part.toolName, part.input);
    if (problem) return { problem, call: part };
  }
  return undefined;
}

/**
 * Holds back a local answer that may call tools until it is complete, checks each tool call
 * (a known tool, JSON arguments that match its schema), asks the model once more with the problem
 * spelled out (the repair turn, within the same router attempt), and escalates
 * (throws ToolCallEscalation) if the second answer is still wrong.
 */
export async function* validatedLocalStream(
  source: AsyncIterable<StreamPart>,
  request: ChatRequest,
  rerun: (request: ChatRequest, options: CallOptions) => AsyncIterable<StreamPart>,
  signal: AbortSignal | undefined,
): AsyncIterable<StreamPart> {
  const first = await collect(source);
  // None of a held answer has reached the client: one that fails part-way is a failure before any
  // output, which the router may still take to the next target (its words would be spliced otherwise).
  const failed = first.find((p) => p.type === "error");
  if (failed) {
    yield failed;
    return;
  }
  // A call cut off by the request's own output limit is incomplete, not wrong: a repair turn (or a
  // teacher) has no more room; the client gets it as it is, with finish reason length, as from OpenAI.
  const bad = first.some((p) => p.type === "finish" && p.finishReason === "length") ? undefined : firstProblem(first, request);
  if (!bad) {
    yield* first;
    return;
  }
  const repair: ChatRequest = {
    ...request,
    messages: [
      ...request.messages,
      { role: "assistant", content: [{ type: "tool-call", toolCallId: bad.call.toolCallId, toolName: bad.call.toolName, input: safeParse(bad.call.input) }] },
      { role: "tool", content: [{ type: "tool-result", toolCallId: bad.call.toolCallId, toolName: bad.call.toolName, output: `${bad.problem} Call the tool again with valid arguments.`, isError: true }] },
    ],
  };
  const second = await collect(rerun(repair, signal ? { signal } : {}));
  const broke = second.find((p) => p.type === "error");
  if (broke) {
    yield broke;
    return;
  }
  const still = firstProblem(second, request);
  if (still) throw new ToolCallEscalation(still.problem);
  yield* second;
}

function safeParse(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

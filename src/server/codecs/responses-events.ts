import type { StreamPart } from "../../protocol/index.js";
import type { ResponsesFunctionCall, ResponsesObject, ResponsesOutputItem, ResponsesOutputMessage, ResponsesStreamEvent } from "../../wire/openai/responses-object.js";
import { newId } from "../ids.js";
import type { ProvenanceField } from "../provenance.js";
import { responseObject, responsesError, responsesStatus, type ResponseShell } from "./responses-response.js";
import { namespaceOf } from "./responses-tools.js";
import { BlockSequencer } from "./block-sequencer.js";

type Open = { kind: "text"; index: number; item: ResponsesOutputMessage; text: string } | { kind: "call"; index: number; item: ResponsesFunctionCall };

/**
 * Turns stream parts into the Responses API's event sequence, each event numbered by
 * `sequence_number`: `response.created` and `response.in_progress`; per text block
 * `response.output_item.added`, `response.content_part.added`, `response.output_text.delta`…,
 * `response.output_text.done`, `response.content_part.done`, `response.output_item.done`; per tool
 * call `response.output_item.added`, `response.function_call_arguments.delta`…,
 * `response.function_call_arguments.done`, `response.output_item.done`; then
 * `response.completed`, `response.incomplete` (output bound reached) or `response.failed`.
 */
export class ResponsesEventer {
  #sequence = 0;
  #started = false;
  readonly #output: ResponsesOutputItem[] = [];
  /** Canonical block id → its open output item (text blocks and tool calls apart). */
  readonly #open = new Map<string, Open>();
  /** Tool calls already sent whole, so a late `tool-call` for them adds nothing. */
  readonly #doneCalls = new Set<string>();
  #final: (ResponsesObject & ProvenanceField) | undefined;
  /** With `parallel_tool_calls: false`, at most one call: the ids of later ones, whose parts are dropped. */
  readonly #dropped = new Set<string>();
  readonly #oneCall: boolean;

  constructor(private readonly shell: ResponseShell) {
    this.#oneCall = shell.body.parallel_tool_calls === false;
  }

  /** True for the parts of a tool call past the first when only one may be made. */
  #drop(id: string): boolean {
    if (!this.#oneCall) return false;
    if (this.#dropped.has(id)) return true;
    if (this.#doneCalls.has(id) || this.#open.has(`c:${id}`)) return false;
    if (this.#doneCalls.size === 0 && ![...this.#open.values()].some((o) => o.kind === "call")) return false;
    this.#dropped.add(id);
    return true;
  }

  /** The response as it ended (completed, incomplete, failed), once the stream has ended. */
  get final(): (ResponsesObject & ProvenanceField) | undefined {
    return this.#final;
  }

  #event(type: string, fields: Record<string, unknown>): ResponsesStreamEvent {
    return { type, ...fields, sequence_number: this.#sequence++ };
  }

  #start(): ResponsesStreamEvent[] {
    if (this.#started) return [];
    this.#started = true;
    const response = responseObject(this.shell, { status: "in_progress", output: [] });
    return [this.#event("response.created", { response }), this.#event("response.in_progress", { response })];
  }

  #openText(key: string): ResponsesStreamEvent[] {
    const item: ResponsesOutputMessage = { type: "message", id: newId("msg_"), role: "assistant", status: "in_progress", content: [] };
    const index = this.#output.push(item) - 1;
    this.#open.set(key, { kind: "text", index, item, text: "" });
    return [
      this.#event("response.output_item.added", { output_index: index, item: structuredClone(item) }),
      this.#event("response.content_part.added", { item_id: item.id, output_index: index, content_index: 0, part: { type: "output_text", text: "", annotations: [], logprobs: [] } }),
    ];
  }

  #openCall(callId: string, name: string): ResponsesStreamEvent[] {
    const namespace = namespaceOf(this.shell.body, name);
    const item: ResponsesFunctionCall = { type: "function_call", id: newId("fc_"), call_id: callId, name, arguments: "", status: "in_progress", ...(namespace ? { namespace } : {}) };
    const index = this.#output.push(item) - 1;
    this.#open.set(`c:${callId}`, { kind: "call", index, item });
    return [this.#event("response.output_item.added", { output_index: index, item: structuredClone(item) })];
  }

  #close(key: string, status: "completed" | "incomplete", finalArguments?: string): ResponsesStreamEvent[] {
    const open = this.#open.get(key);
    if (!open) return [];
    this.#open.delete(key);
    const { index, item } = open;
    if (open.kind === "text") {
      const part = { type: "output_text" as const, text: open.text, annotations: [], logprobs: [] };
      const done: ResponsesOutputMessage = { ...open.item, status, content: [part] };
      this.#output[index] = done;
      return [
        this.#event("response.output_text.done", { item_id: item.id, output_index: index, content_index: 0, text: open.text, logprobs: [] }),
        this.#event("response.content_part.done", { item_id: item.id, output_index: index, content_index: 0, part }),
        this.#event("response.output_item.done", { output_index: index, item: done }),
      ];
    }
    const args = finalArguments ?? open.item.arguments;
    const out: ResponsesStreamEvent[] = [];
    // A model that sends the call whole (no deltas) still gets one delta, as OpenAI always sends one.
    if (open.item.arguments === "" && args !== "") out.push(this.#event("response.function_call_arguments.delta", { item_id: item.id, output_index: index, delta: args }));
    const done: ResponsesFunctionCall = { ...open.item, arguments: args, status };
    this.#output[index] = done;
    this.#doneCalls.add(open.item.call_id);
    out.push(
      this.#event("response.function_call_arguments.done", { item_id: item.id, output_index: index, name: open.item.name, arguments: args }),
      this.#event("response.output_item.done", { output_index: index, item: done }),
    );
    return out;
  }

  #closeAll(status: "completed" | "incomplete"): ResponsesStreamEvent[] {
    return [...this.#open.keys()].flatMap((key) => this.#close(key, status));
  }

  /** The events one part becomes; output items come one after another, never overlapping (see {@link BlockSequencer}). */
  push(part: StreamPart): ResponsesStreamEvent[] {
    return this.#sequencer.push(part).flatMap((p) => this.#handle(p));
  }

  readonly #sequencer = new BlockSequencer();

  #handle(part: StreamPart): ResponsesStreamEvent[] {
    const out = this.#start();
    if ((part.type === "tool-input-start" || part.type === "tool-input-delta" || part.type === "tool-input-end") && this.#drop(part.id)) return out;
    if (part.type === "tool-call" && this.#drop(part.toolCallId)) return out;
    switch (part.type) {
      // A text block opens its message item at its first text, so a block with none adds no empty item.
      case "text-start":
        break;
      case "text-delta": {
        if (!part.delta) break;
        const key = `t:${part.id}`;
        if (!this.#open.has(key)) out.push(...this.#openText(key));
        const open = this.#open.get(key);
        if (open?.kind !== "text") break;
        open.text += part.delta;
        out.push(this.#event("response.output_text.delta", { item_id: open.item.id, output_index: open.index, content_index: 0, delta: part.delta, logprobs: [] }));
        break;
      }
      case "text-end":
        out.push(...this.#close(`t:${part.id}`, "completed"));
        break;
      case "tool-input-start":
        if (!this.#open.has(`c:${part.id}`) && !this.#doneCalls.has(part.id)) out.push(...this.#openCall(part.id, part.toolName));
        break;
      case "tool-input-delta": {
        const open = this.#open.get(`c:${part.id}`);
        if (open?.kind !== "call" || !part.delta) break;
        open.item.arguments += part.delta;
        out.push(this.#event("response.function_call_arguments.delta", { item_id: open.item.id, output_index: open.index, delta: part.delta }));
        break;
      }
      case "tool-call": {
        if (this.#doneCalls.has(part.toolCallId)) break;
        if (!this.#open.has(`c:${part.toolCallId}`)) out.push(...this.#openCall(part.toolCallId, part.toolName));
        const open = this.#open.get(`c:${part.toolCallId}`);
        // The complete call is the truth: streamed deltas that differ from it are replaced.
        if (open?.kind === "call" && open.item.arguments !== "" && open.item.arguments !== part.input) open.item.arguments = part.input;
        out.push(...this.#close(`c:${part.toolCallId}`, "completed", part.input));
        break;
      }
      case "finish": {
        const { status, incomplete } = responsesStatus(part.finishReason);
        out.push(...this.#closeAll(status === "completed" ? "completed" : "incomplete"));
        this.#final = responseObject(this.shell, { status, incomplete, output: [...this.#output], usage: part.usage, ...(part.provenance ? { provenance: part.provenance } : {}) });
        // A cancelled response (the client went away) has nobody to tell.
        if (status === "completed") out.push(this.#event("response.completed", { response: this.#final }));
        else if (status === "incomplete") out.push(this.#event("response.incomplete", { response: this.#final }));
        break;
      }
      case "error": {
        out.push(...this.#closeAll("incomplete"));
        this.#final = responseObject(this.shell, { status: "failed", output: [...this.#output], error: responsesError(part.error), ...(part.provenance ? { provenance: part.provenance } : {}) });
        out.push(this.#event("response.failed", { response: this.#final }));
        break;
      }
      default:
        break;
    }
    return out;
  }
}

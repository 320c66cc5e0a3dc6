import type { ChatHistoryItem, ChatModelFunctionCall, ChatModelResponse } from "node-llama-cpp";
import type { Message } from "../protocol/messages.js";
import { WrenError } from "../shared/errors.js";

/**
 * Canonical messages → node-llama-cpp chat history. Tool results are attached to the call they
 * answer, since chat templates render a call and its result together. The history ends with an
 * empty model turn for the model to complete, or, with `continueFinal`, with the final assistant
 * message left open for the model to continue when it holds only text.
 */
export function toChatHistory(messages: readonly Message[], continueFinal = false): ChatHistoryItem[] {
  const history: ChatHistoryItem[] = [];
  const pendingCalls = new Map<string, ChatModelFunctionCall>();

  for (const message of messages) {
    switch (message.role) {
      case "system":
        history.push({ type: "system", text: message.content });
        break;
      case "user": {
        let text = "";
        for (const part of message.content) {
          if (part.type === "text") text += part.text;
          else
            throw new WrenError("unsupported", "This local model does not accept images.", {
              hint: "Send text only, or route the request to a vision-capable provider.",
            });
        }
        history.push({ type: "user", text });
        break;
      }
      case "assistant": {
        const response: ChatModelResponse["response"] = [];
        for (const part of message.content) {
          if (part.type === "text") response.push(part.text);
          else {
            const call: ChatModelFunctionCall = {
              type: "functionCall",
              name: part.toolName,
              params: part.input,
              result: undefined,
            };
            pendingCalls.set(part.toolCallId, call);
            response.push(call);
          }
        }
        history.push({ type: "model", response });
        break;
      }
      case "tool":
        for (const part of message.content) {
          const call = pendingCalls.get(part.toolCallId);
          if (!call) {
            throw new WrenError("bad_request", `A tool result answers call "${part.toolCallId}", which no assistant message made.`, {
              hint: "Send the assistant message with that tool call before its result.",
            });
          }
          call.result = part.isError ? { error: part.output } : part.output;
        }
        break;
    }
  }
  const last = history.at(-1);
  const open = continueFinal && last?.type === "model" && last.response.every((r) => typeof r === "string");
  if (!open) history.push({ type: "model", response: [] });
  return history;
}

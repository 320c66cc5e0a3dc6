import type { ChatRequest, Message } from "../protocol/index.js";

/**
 * The conversation to send to a chat-only upstream: the messages, or a raw prompt as one user
 * message (cloud chat APIs have no plain-completion mode).
 */
export function chatMessages(request: ChatRequest): Message[] {
  if (request.rawPrompt === undefined) return request.messages;
  return [{ role: "user", content: [{ type: "text", text: request.rawPrompt }] }];
}

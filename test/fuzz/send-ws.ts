import { WebSocket } from "ws";

/** What a WebSocket session does after it opens. */
export interface WsSend {
  /** The first message: a chat request as JSON text, or anything else as-is (a Buffer goes as a binary frame). */
  message: string | Buffer;
  /** After the first chunk: send `{"type":"cancel"}`, or close the socket. */
  after?: "cancel" | "close";
}

export interface WsOutcome {
  /** HTTP status of a refused upgrade (0 when it was accepted). */
  upgradeStatus: number;
  messages: string[];
  /** True when `[DONE]` came. */
  done: boolean;
}

/**
 * Opens `/v1/ws`, sends one message and reads until `[DONE]`, an error message before any chunk,
 * the server closing, or the fuzzer leaving on purpose; rejects when none of these come in time.
 */
export function sendWs(base: URL, send: WsSend, timeoutMs: number): Promise<WsOutcome> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://${base.host}/v1/ws`);
    const messages: string[] = [];
    let settled = false;
    const finish = (outcome: WsOutcome): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      ws.terminate();
      resolve(outcome);
    };
    const timer = setTimeout(() => {
      settled = true;
      ws.terminate();
      reject(new Error(`no [DONE], error or close within ${timeoutMs} ms; got ${messages.length} messages`));
    }, timeoutMs);
    ws.on("unexpected-response", (_req, res) => finish({ upgradeStatus: res.statusCode ?? 0, messages, done: false }));
    ws.on("error", (error) => {
      if (!settled) {
        settled = true;
        clearTimeout(timer);
        reject(error);
      }
    });
    ws.on("close", () => finish({ upgradeStatus: 0, messages, done: false }));
    ws.on("open", () => ws.send(send.message));
    ws.on("message", (data: Buffer) => {
      const text = data.toString("utf8");
      messages.push(text);
      if (text === "[DONE]") return finish({ upgradeStatus: 0, messages, done: true });
      const isError = text.includes('"error"') && messages.length === 1;
      if (isError) return finish({ upgradeStatus: 0, messages, done: false });
      if (messages.length === 1 && send.after === "close") return finish({ upgradeStatus: 0, messages, done: false });
      if (messages.length === 1 && send.after === "cancel") ws.send(JSON.stringify({ type: "cancel" }));
    });
  });
}

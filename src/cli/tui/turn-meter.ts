import type { AgentEvent } from "../../runtime/agent-types.js";

/** How fast the last model turn answered. */
export interface TurnSpeed {
  /** From the request to the first token (text or a tool call), in ms. */
  timeToFirstTokenMs?: number;
  /** Output tokens per second from the first token to the end; absent when the turn was too short to tell. */
  tokensPerSecond?: number;
}

/**
 * Times each model turn from the agent's events as they arrive: when it started, when its first
 * token came, when it ended. The time is what the person waited, the agent's own work included.
 */
export class TurnMeter {
  #started: number | undefined;
  #first: number | undefined;

  constructor(private readonly now: () => number = () => performance.now()) {}

  /** Notes a turn's start and its first token; returns the turn's speed at its end. */
  observe(event: AgentEvent): TurnSpeed | undefined {
    switch (event.type) {
      case "turn-start":
        this.#started = this.now();
        this.#first = undefined;
        return undefined;
      case "text-delta":
      case "tool-call":
        this.#first ??= this.now();
        return undefined;
      case "turn-end": {
        const speed = turnSpeed({ startedAt: this.#started, firstTokenAt: this.#first, endedAt: this.now(), outputTokens: event.usage.outputTokens });
        this.#started = this.#first = undefined;
        return speed;
      }
      default:
        return undefined;
    }
  }
}

/** A turn's speed from its timestamps (ms). Tokens per second need the answer to have lasted at least 50 ms. */
export function turnSpeed(t: { startedAt: number | undefined; firstTokenAt: number | undefined; endedAt: number; outputTokens: number }): TurnSpeed {
  if (t.startedAt === undefined || t.firstTokenAt === undefined) return {};
  const streaming = t.endedAt - t.firstTokenAt;
  return {
    timeToFirstTokenMs: Math.max(0, t.firstTokenAt - t.startedAt),
    ...(streaming >= 50 && t.outputTokens > 0 ? { tokensPerSecond: (t.outputTokens / streaming) * 1000 } : {}),
  };
}

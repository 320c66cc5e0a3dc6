import { describe, expect, it } from "vitest";
import { boundedAnswer } from "./answer-bound.js";

const bytes = (text: string) => new TextEncoder().encode(text);

/** A response whose body arrives in exactly these pieces. */
function answer(pieces: string[], contentType: string): Response {
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      for (const piece of pieces) controller.enqueue(bytes(piece));
      controller.close();
    },
  });
  return new Response(body, { headers: { "content-type": contentType } });
}

async function piecesOf(response: Response): Promise<string[]> {
  const out: string[] = [];
  const decoder = new TextDecoder();
  for await (const piece of response.body as unknown as AsyncIterable<Uint8Array>) out.push(decoder.decode(piece));
  return out;
}

describe("boundedAnswer", () => {
  it("passes a stream of lines on in whole lines, every byte kept", async () => {
    const pieces = ['data: {"a":', '"12', '3"}\n\nda', 'ta: {"b":1}\n\n', "data: [DO", "NE]"];
    const out = await piecesOf(boundedAnswer(answer(pieces, "text/event-stream; charset=utf-8"), "acme"));
    expect(out.join("")).toBe(pieces.join(""));
    expect(out).toEqual(['data: {"a":"123"}\n\n', 'data: {"b":1}\n\n', "data: [DONE]"]);
  });

  it("joins a long NDJSON line sent in many pieces into one", async () => {
    const line = `{"message":{"content":"${"x".repeat(300_000)}"}}\n`;
    const pieces = line.match(/[^]{1,4096}/g)!;
    const out = await piecesOf(boundedAnswer(answer(pieces, "application/x-ndjson"), "ollama"));
    expect(out).toEqual([line]);
  });

  it("leaves the pieces of a body that is not lines as they came", async () => {
    const pieces = ['{"id":', '"1"}'];
    expect(await piecesOf(boundedAnswer(answer(pieces, "application/json"), "acme"))).toEqual(pieces);
  });

  it("fails the read past the bound, naming the provider and the bound", async () => {
    const pieces = Array.from({ length: 5 }, () => "y".repeat(1024));
    await expect(piecesOf(boundedAnswer(answer(pieces, "application/json"), "acme", 4096))).rejects.toMatchObject({
      code: "upstream_error",
      message: "acme sent an answer larger than 4 KiB; wren stopped reading it.",
    });
    expect(await piecesOf(boundedAnswer(answer(pieces.slice(0, 4), "application/json"), "acme", 4096))).toHaveLength(4);
  });

  it("keeps the status and headers", () => {
    const bounded = boundedAnswer(new Response("{}", { status: 429, headers: { "retry-after": "3" } }), "acme");
    expect(bounded.status).toBe(429);
    expect(bounded.headers.get("retry-after")).toBe("3");
  });
});

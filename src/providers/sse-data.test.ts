import { afterEach, describe, expect, it, vi } from "vitest";
import { SseDataReader } from "./sse-data.js";

const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);

/** Every event's data from `chunks` fed in order, then the stream's end. */
function read(chunks: Uint8Array[]): string[] {
  const reader = new SseDataReader();
  return [...chunks.flatMap((chunk) => reader.feed(chunk)), ...reader.end()];
}

afterEach(() => {
  vi.unstubAllGlobals();
});

describe("SseDataReader", () => {
  it("reads a character split between chunks whole, and a BOM only at the stream's start", () => {
    const all = bytes("\uFEFFdata: {\"a\":\"h\u00e9 \u{1F600}\"}\n\ndata: \uFEFFx\n\ndata: [DONE]\n\n");
    // Every split point: inside the BOM, inside the two- and four-byte characters, between events.
    for (let at = 0; at <= all.length; at++) {
      expect(read([all.subarray(0, at), all.subarray(at)])).toEqual(['{"a":"h\u00e9 \u{1F600}"}', "\uFEFFx"]);
    }
    expect(read([bytes("data: a\n\n"), bytes("\uFEFFdata: b\n\n")])).toEqual(["a"]);
  });

  it("replaces bytes that are not UTF-8 as a stream's decoder does, and ends an event left open", () => {
    const bad = new Uint8Array([...bytes("data: a"), 0xe2, 0x82, ...bytes("b\n\ndata: c"), 0xf0, 0x9f]);
    expect(read([bad])).toEqual(["a\uFFFDb", "c\uFFFD"]);
    expect(read([bad.subarray(0, 8), bad.subarray(8)])).toEqual(["a\uFFFDb", "c\uFFFD"]);
  });

  it("makes no decoder of its own for a stream whose chunks end on whole characters", () => {
    let made = 0;
    const Real = TextDecoder;
    vi.stubGlobal(
      "TextDecoder",
      class extends Real {
        constructor(...args: ConstructorParameters<typeof TextDecoder>) {
          super(...args);
          made++;
        }
      },
    );
    for (let i = 0; i < 3; i++) expect(read([bytes('data: {"n":1}\n\n'), bytes("data: h\u00e9\n\ndata: [DONE]\n\n")])).toEqual(['{"n":1}', "h\u00e9"]);
    expect(made).toBe(0);
    // A chunk that ends inside a character needs one, for the rest of its stream.
    const split = bytes("data: h\u00e9\n\n");
    expect(read([split.subarray(0, 8), split.subarray(8)])).toEqual(["h\u00e9"]);
    expect(made).toBe(1);
  });
});

import { describe, expect, it } from "vitest";
import { newResponseShell, responseObject } from "./codecs/responses-response.js";
import { ResponsesStore, type StoredResponse } from "./responses-store.js";

function stored(text = "hi"): StoredResponse {
  const response = responseObject(newResponseShell({ model: "m" }), {
    status: "completed",
    output: [{ type: "message", id: `msg_${text.length}_${Math.random()}`, role: "assistant", status: "completed", content: [{ type: "output_text", text, annotations: [], logprobs: [] }] }],
  });
  return { response, inputItems: [{ type: "message", id: `in_${response.id}`, role: "user", content: [{ type: "input_text", text }] }], history: [{ role: "user", content: [{ type: "text", text }] }] };
}

describe("ResponsesStore", () => {
  it("keeps at most maxEntries, dropping the least recently used first", () => {
    const store = new ResponsesStore({ maxEntries: 2 });
    const [a, b, c] = [stored(), stored(), stored()];
    store.put(a);
    store.put(b);
    expect(store.get(a.response.id)).toBe(a); // a is now the most recently used
    store.put(c);
    expect(store.size).toBe(2);
    expect(store.get(b.response.id)).toBeUndefined();
    expect(store.get(a.response.id)).toBe(a);
    expect(store.get(c.response.id)).toBe(c);
  });

  it("keeps at most maxBytes, counting each response's JSON, and refuses one larger than the bound alone", () => {
    const one = Buffer.byteLength(JSON.stringify(stored("x".repeat(1000))));
    const store = new ResponsesStore({ maxBytes: Math.floor(one * 2.5) });
    const rs = [stored("x".repeat(1000)), stored("y".repeat(1000)), stored("z".repeat(1000))];
    for (const r of rs) expect(store.put(r)).toBe(true);
    expect(store.size).toBe(2);
    expect(store.bytes).toBeLessThanOrEqual(Math.floor(one * 2.5));
    expect(store.get(rs[0]!.response.id)).toBeUndefined();
    const huge = stored("w".repeat(one * 3));
    expect(store.put(huge)).toBe(false);
    expect(store.get(huge.response.id)).toBeUndefined();
    expect(store.size).toBe(2);
  });

  it("replaces, deletes and finds items of kept responses by id", () => {
    const store = new ResponsesStore();
    const r = stored();
    store.put(r);
    const bytes = store.bytes;
    store.put(r);
    expect(store.bytes).toBe(bytes);
    expect(store.findItem(r.inputItems[0]!.id)).toMatchObject({ role: "user" });
    expect(store.findItem(r.response.output[0]!.id)).toMatchObject({ role: "assistant" });
    expect(store.findItem("msg_none")).toBeUndefined();
    expect(store.delete(r.response.id)).toBe(true);
    expect(store.delete(r.response.id)).toBe(false);
    expect(store.bytes).toBe(0);
  });
});

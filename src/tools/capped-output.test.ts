import { describe, expect, it } from "vitest";
import { CappedOutput } from "./capped-output.js";

describe("CappedOutput", () => {
  it("keeps everything up to the cap", () => {
    const out = new CappedOutput(10);
    out.push("abc");
    out.push("defghij");
    expect(out.text()).toBe("abcdefghij");
    expect(out.cutChars).toBe(0);
  });

  it("past the cap keeps the start and the end, whatever the chunk sizes, and counts the cut", () => {
    const text = Array.from({ length: 1000 }, (_, i) => String.fromCharCode(97 + (i % 26))).join("");
    for (const size of [1, 7, 64, 999, 1000]) {
      const out = new CappedOutput(101);
      for (let i = 0; i < text.length; i += size) out.push(text.slice(i, i + size));
      expect(out.totalChars).toBe(1000);
      expect(out.cutChars).toBe(899);
      expect(out.text()).toBe(`${text.slice(0, 50)}\n\n[… 899 characters cut …]\n\n${text.slice(-51)}`);
    }
  });
});

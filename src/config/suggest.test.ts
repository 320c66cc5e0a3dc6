import { describe, expect, it } from "vitest";
import { closest, editDistance } from "./suggest.js";

describe("did-you-mean suggestions", () => {
  it("measures edits", () => {
    expect(editDistance("gpu", "gpu")).toBe(0);
    expect(editDistance("gpus", "gpu")).toBe(1);
    expect(editDistance("kitten", "sitting")).toBe(3);
    expect(editDistance("hots", "host")).toBe(1);
    expect(editDistance("", "abc")).toBe(3);
  });

  it("suggests a close key, the same key in another case or with underscores, and nothing for a stranger", () => {
    const keys = ["gpu", "threads", "contextSize", "sequences", "batchSize"];
    expect(closest("treads", keys)).toBe("threads");
    expect(closest("context_size", keys)).toBe("contextSize");
    expect(closest("BATCHSIZE", keys)).toBe("batchSize");
    expect(closest("temperature", keys)).toBeUndefined();
    expect(closest("x", keys)).toBeUndefined();
  });
});

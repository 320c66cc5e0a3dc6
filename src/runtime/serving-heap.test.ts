import { describe, expect, it } from "vitest";
import { tuneHeapForServing } from "./serving-heap.js";

describe("tuneHeapForServing", () => {
  it("turns pretenuring off when the user did not set it", () => {
    expect(tuneHeapForServing([])).toBe(true);
    expect(tuneHeapForServing(["--max-old-space-size=4096", "--enable-source-maps"])).toBe(true);
  });

  it("leaves a user's own setting alone, in either spelling", () => {
    expect(tuneHeapForServing(["--allocation-site-pretenuring"])).toBe(false);
    expect(tuneHeapForServing(["--max-old-space-size=4096", "--allocation_site_pretenuring"])).toBe(false);
    expect(tuneHeapForServing(["--no-allocation-site-pretenuring"])).toBe(false);
  });
});

import { describe, expect, it } from "vitest";
import { createShellAnalyzer } from "./analyze.js";

describe("shell analyzer lifecycle", () => {
  it("frees its parser on dispose and refuses to be used afterwards", async () => {
    let kept: { analyze: (c: string) => unknown } | undefined;
    {
      using analyzer = await createShellAnalyzer();
      expect(analyzer.analyze("ls", { shell: "bash" })).toEqual({ risk: "safe", reasons: [] });
      kept = analyzer;
    }
    expect(() => kept?.analyze("ls")).toThrow(/disposed/);
  });
});

import { describe, expect, it } from "vitest";
import { replaceRefused } from "./download.js";

const refused = (code: string): Error => Object.assign(new Error(`${code}: operation not permitted, rename 'm.gguf.partial' -> 'm.gguf'`), { code });

describe("a finished download whose file Windows would not replace", () => {
  it("says a process has the model open and how to go on, not the rename's errno", () => {
    for (const code of ["EPERM", "EACCES", "EBUSY"]) {
      const error = replaceRefused(refused(code), "qwen2.5-0.5b-instruct-q4_k_m.gguf", "win32");
      expect(error).toMatchObject({ code: "download_failed", message: expect.stringContaining("could not be replaced: a process has it open") });
      expect(error?.hint).toContain("wren daemon stop");
    }
  });

  it("leaves any other failure, and any other system, to the errors that say them", () => {
    expect(replaceRefused(refused("ENOSPC"), "m.gguf", "win32")).toBeUndefined();
    expect(replaceRefused(refused("EPERM"), "m.gguf", "linux")).toBeUndefined();
  });
});

import type * as Fs from "node:fs";
import { afterEach, describe, expect, it, vi } from "vitest";

// stdin as a program that runs wren usually leaves it: neither a pipe nor a file, so never read.
vi.mock("node:fs", async (importOriginal) => {
  const fs = await importOriginal<typeof Fs>();
  return { ...fs, fstatSync: () => ({ isFIFO: () => false, isFile: () => false }) };
});

const { readPrompt } = await import("./read-prompt.js");

afterEach(() => {
  vi.restoreAllMocks();
});

describe("readPrompt with the prompt on the command line", () => {
  it("returns the words given, joined", async () => {
    await expect(readPrompt(["fix", "the", "test"])).resolves.toBe("fix the test");
  });

  it("refuses an empty or blank prompt, as it refuses an empty stdin, rather than sending the model nothing", async () => {
    for (const words of [[""], ["  "], ["", ""]]) {
      const error: unknown = await readPrompt(words, 'wren -p "fix the failing test"').catch((e: unknown) => e);
      expect(error).toMatchObject({ code: "bad_request", message: "The prompt is empty." });
      expect((error as { hint?: string }).hint).toContain('wren -p "fix the failing test"');
    }
  });
});

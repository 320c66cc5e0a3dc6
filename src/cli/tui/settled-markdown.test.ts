import { expect, it } from "vitest";
import { settledLength } from "./settled-markdown.js";

const settled = (text: string): string => text.slice(0, settledLength(text));

it("settles the blocks before a blank line once the next block has begun at the margin", () => {
  expect(settled("First paragraph.")).toBe("");
  expect(settled("First paragraph.\n\n")).toBe("");
  expect(settled("First paragraph.\n\nSec")).toBe("First paragraph.\n\n");
  expect(settled("# Title\n\nOne.\n\nTwo.\n\nThr")).toBe("# Title\n\nOne.\n\nTwo.\n\n");
});

it("keeps a block open while an indented line may still belong to it", () => {
  expect(settled("- item\n\n  more of the item")).toBe("");
  expect(settled("- item\n\n  more of the item\n\nAfter")).toBe("- item\n\n  more of the item\n\n");
});

it("settles nothing inside an open fence, whose blank lines are code", () => {
  expect(settled("Intro.\n\n```ts\nconst a = 1;\n\nconst b = 2;\n\nconst")).toBe("Intro.\n\n");
  expect(settled("```ts\nconst a = 1;\n```\n\nAfter")).toBe("```ts\nconst a = 1;\n```\n\n");
  // A shorter or different marker does not close the fence.
  expect(settled("````md\n```\n\nstill code\n\nx")).toBe("");
  expect(settled("~~~\n```\n\ncode\n~~~\n\nAfter")).toBe("~~~\n```\n\ncode\n~~~\n\n");
  // The fence line still arriving (no newline yet) is not a fence yet, nor settled.
  expect(settled("Intro.\n\n```")).toBe("Intro.\n\n");
});

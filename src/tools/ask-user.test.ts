import { describe, expect, it } from "vitest";
import { toolContext } from "../../test/helpers/tool-context.js";
import { askUserTool } from "./ask-user.js";
import { runTool } from "./run-tool.js";
import type { AskUserFn, AskUserQuestion } from "./tool.js";

const input = {
  questions: [
    { question: "Which database?", header: "DB", options: ["Postgres", { label: "SQLite", description: "a single file" }] },
    { question: "Which extras?", options: ["Auth", "Logging", "Metrics"], multi_select: true },
  ],
};

describe("AskUser", () => {
  it("puts the questions to the user and hands the model their answers", async () => {
    let asked: AskUserQuestion[] = [];
    const ask: AskUserFn = async (questions) => {
      asked = questions;
      return [{ selected: ["SQLite"] }, { selected: ["Auth", "Logging"], other: "and tracing" }];
    };
    const result = await runTool(askUserTool, input, toolContext(process.cwd(), { ask }));
    expect(asked).toEqual([
      { question: "Which database?", header: "DB", options: [{ label: "Postgres" }, { label: "SQLite", description: "a single file" }], multiSelect: false },
      { question: "Which extras?", options: [{ label: "Auth" }, { label: "Logging" }, { label: "Metrics" }], multiSelect: true },
    ]);
    expect(result.isError).toBe(false);
    expect(result.llmContent).toBe(
      'The user answered:\n1. Which database?\n   → SQLite\n2. Which extras?\n   → Auth, Logging; in their own words: "and tracing"',
    );
    expect(result.data).toMatchObject({ kind: "answers", answers: [{ selected: ["SQLite"] }, { selected: ["Auth", "Logging"], other: "and tracing" }] });
  });

  it("says so when no one can answer, so the model decides itself", async () => {
    const result = await runTool(askUserTool, input, toolContext(process.cwd()));
    expect(result.isError).toBe(true);
    expect(result.llmContent).toContain("not interactive");
    expect(result.llmContent).toContain("Choose the most reasonable option yourself");
  });

  it("refuses 0 or 5 questions and 1 or 5 options as invalid input", async () => {
    const ask: AskUserFn = async () => [];
    const q = { question: "Q?", options: ["a", "b"] };
    for (const bad of [{ questions: [] }, { questions: [q, q, q, q, q] }, { questions: [{ question: "Q?", options: ["a"] }] }, { questions: [{ question: "Q?", options: ["a", "b", "c", "d", "e"] }] }]) {
      const result = await runTool(askUserTool, bad, toolContext(process.cwd(), { ask }));
      expect(result.isError).toBe(true);
      expect(result.llmContent).toContain("Invalid input for AskUser");
    }
  });

  it("returns a cancelled result when the user dismisses the questions", async () => {
    const controller = new AbortController();
    const ask: AskUserFn = async () => {
      controller.abort();
      throw new DOMException("dismissed", "AbortError");
    };
    const result = await runTool(askUserTool, input, toolContext(process.cwd(), { ask, signal: controller.signal }));
    expect(result).toMatchObject({ isError: true, llmContent: "Cancelled by the user." });
  });
});

import { describe, expect, it } from "vitest";
import { continuingNotice, damagedRecordsNotice } from "./continuing-notice.js";

describe("the notice of a session that goes on", () => {
  it("counts every earlier prompt and says how many failed and are left out of the conversation", () => {
    expect(continuingNotice("s1", { total: 0, failed: 0 })).toBeUndefined();
    expect(continuingNotice("s1", { total: 1, failed: 0 })).toBe("Continuing session s1 (1 earlier prompt; wren sessions show s1 prints it).");
    expect(continuingNotice("s1", { total: 3, failed: 0 })).toBe("Continuing session s1 (3 earlier prompts; wren sessions show s1 prints them).");
    expect(continuingNotice("s1", { total: 3, failed: 1 })).toBe(
      "Continuing session s1 (3 earlier prompts, 1 of them failed before an answer and is left out of the conversation; wren sessions show s1 prints them).",
    );
    expect(continuingNotice("s1", { total: 5, failed: 2 })).toBe(
      "Continuing session s1 (5 earlier prompts, 2 of them failed before an answer and are left out of the conversation; wren sessions show s1 prints them).",
    );
    expect(continuingNotice("s1", { total: 1, failed: 1 })).toBe(
      "Continuing session s1 (1 earlier prompt, which failed before an answer and is left out of the conversation; wren sessions show s1 prints it).",
    );
    expect(continuingNotice("s1", { total: 2, failed: 2 })).toBe(
      "Continuing session s1 (2 earlier prompts, both failed before an answer and left out of the conversation; wren sessions show s1 prints them).",
    );
  });

  it("says how many damaged records of the transcript are left out of the conversation, and where to see them", () => {
    expect(continuingNotice("s1", { total: 2, failed: 0 }, 1)).toBe(
      "Continuing session s1 (2 earlier prompts; wren sessions show s1 prints them). One record of its transcript was damaged (a write cut short by a full disk or the file-size limit) and is left out of the conversation; wren sessions show s1 marks where.",
    );
    expect(continuingNotice("s1", { total: 0, failed: 0 }, 3)).toBe(
      "Continuing session s1: 3 records of its transcript were damaged (a write cut short by a full disk or the file-size limit) and are left out of the conversation; wren sessions show s1 marks where.",
    );
    expect(damagedRecordsNotice("s1", 0)).toBeUndefined();
  });
});

import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, expect, it } from "vitest";
import { HISTORY_LIMIT, PromptHistory } from "./history.js";

let dir: string;
beforeEach(() => void (dir = mkdtempSync(path.join(os.tmpdir(), "wren-history-"))));
afterEach(() => rmSync(dir, { recursive: true, force: true }));

it("keeps prompts across instances, multi-line ones whole, without repeating the last one", () => {
  const file = path.join(dir, "data", "prompt-history.jsonl");
  const first = new PromptHistory(file);
  first.add("fix the test");
  first.add("fix the test");
  first.add("two\nlines");
  first.add("   ");
  expect(new PromptHistory(file).entries).toEqual(["fix the test", "two\nlines"]);
});

it(`keeps only the newest ${HISTORY_LIMIT}`, () => {
  const file = path.join(dir, "prompt-history.jsonl");
  const h = new PromptHistory(file);
  for (let i = 0; i < HISTORY_LIMIT + 5; i++) h.add(`prompt ${i}`);
  const reread = new PromptHistory(file).entries;
  expect(reread).toHaveLength(HISTORY_LIMIT);
  expect(reread[0]).toBe("prompt 5");
  expect(reread.at(-1)).toBe(`prompt ${HISTORY_LIMIT + 4}`);
  expect(readFileSync(file, "utf8").trim().split("\n")).toHaveLength(HISTORY_LIMIT);
});

it("skips a torn or foreign line instead of failing", () => {
  const file = path.join(dir, "prompt-history.jsonl");
  writeFileSync(file, '"one"\n{"not":"a prompt"}\n"two"\n"thr');
  expect(new PromptHistory(file).entries).toEqual(["one", "two"]);
});

it.runIf(process.platform !== "win32")("keeps the permissions the user gave the history file", () => {
  const file = path.join(dir, "prompt-history.jsonl");
  writeFileSync(file, '"one"\n');
  // Prompts can hold secrets: a user who made the file their own alone keeps it so.
  chmodSync(file, 0o600);
  new PromptHistory(file).add("two");
  expect(readFileSync(file, "utf8")).toBe('"one"\n"two"\n');
  expect(statSync(file).mode & 0o777).toBe(0o600);
  expect(readdirSync(dir)).toEqual(["prompt-history.jsonl"]);
});

it("leaves no temporary file behind when the history cannot be saved", () => {
  const file = path.join(dir, "prompt-history.jsonl");
  // A folder where the file goes: the new history is written beside it, then cannot replace it.
  mkdirSync(path.join(file, "inside"), { recursive: true });
  const h = new PromptHistory(file);
  h.add("one");
  expect(h.entries).toEqual(["one"]);
  expect(readdirSync(dir)).toEqual(["prompt-history.jsonl"]);
});

import { expect, it } from "vitest";
import { clip, diffLines, keyArgument, proposedChange } from "./items.js";

it("names a call by its key argument, on one line, cut to fit", () => {
  expect(keyArgument("Bash", { command: "npm test", description: "run the tests" })).toBe("npm test");
  expect(keyArgument("Edit", { file_path: "src/a.ts", old_string: "x", new_string: "y" })).toBe("src/a.ts");
  expect(keyArgument("mcp__docs__search", { query: "zod" })).toBe("zod");
  expect(keyArgument("Bash", { command: "echo a\necho b" })).toBe("echo a ⏎ echo b");
  expect(keyArgument("Bash", { command: "x".repeat(100) }, 10)).toBe(`${"x".repeat(9)}…`);
  expect(keyArgument("TodoWrite", { todos: [] })).toBe("");
});

it("finds the diff after an edit's summary line, and shows a proposed edit as removed then added lines", () => {
  const output = 'Edited /p/a.js (+1 -1)\n--- a/a.js\n+++ b/a.js\n@@ -1,1 +1,1 @@\n-old\n+new\n\\ No newline at end of file';
  expect(diffLines(output)).toEqual(["@@ -1,1 +1,1 @@", "-old", "+new"]);
  expect(diffLines("Read 3 lines")).toEqual([]);
  expect(proposedChange("Edit", { file_path: "a", old_string: "a\nb", new_string: "c" })).toEqual(["-a", "-b", "+c"]);
  expect(proposedChange("Write", { file_path: "a", content: "x" })).toEqual(["+x"]);
  expect(proposedChange("Bash", { command: "ls" })).toEqual([]);
});

it("clips long output and counts the rest", () => {
  expect(clip(["a", "b", "c"], 3)).toEqual(["a", "b", "c"]);
  expect(clip(["a", "b", "c", "d"], 2)).toEqual(["a", "b", "… 2 more lines"]);
  expect(clip(["a", "b"], 1)).toEqual(["a", "… 1 more line"]);
});

import { z } from "zod";
import { defineTool } from "./define-tool.js";
import { commitChange, openForChange } from "./file-change.js";
import { errorResult } from "./result.js";
import { resolveToolPath } from "./resolve-path.js";

const parameters = z.object({
  file_path: z.string().min(1).describe("The file to change: absolute, or relative to the working directory."),
  old_string: z.string().describe("The exact text to replace (without Read's line-number prefixes). Empty only to create a new file."),
  new_string: z.string().describe("The text to put in its place."),
  replace_all: z.boolean().default(false).describe("Replace every occurrence instead of exactly one (default false)."),
});

/** Read's `cat -n` prefix, pasted into old_string by mistake. */
const LINE_NUMBER_PREFIX = /^ *\d+\t/m;

export const editTool = defineTool({
  name: "Edit",
  description:
    "Replaces exact text in a file. old_string must match the file exactly (whitespace and indentation included, without " +
    "Read's line-number prefixes) and be unique in it, unless replace_all is true; include surrounding lines to make it unique. " +
    "Read the file in this session before editing it. The result shows the change as a unified diff. " +
    "An empty old_string creates a new file with new_string as its content.",
  parameters,
  readOnly: false,
  permission: (input, ctx) => ({ tool: "Edit", effect: "write", paths: [resolveToolPath(ctx, input.file_path)] }),
  async execute(input, ctx) {
    const file = resolveToolPath(ctx, input.file_path);
    if (input.old_string === input.new_string) return errorResult("old_string and new_string are the same; nothing would change.");
    const opened = await openForChange(ctx, file, "Edit");
    if (!opened.ok) return opened.result;
    const oldString = input.old_string.replace(/\r\n/g, "\n");
    const newString = input.new_string.replace(/\r\n/g, "\n");

    if (!opened.existing) {
      if (oldString !== "") return errorResult(`File not found: ${file}.`, "Check the path, or give an empty old_string to create the file.");
      return commitChange(ctx, file, undefined, newString, `Created ${file}.`, "\n", opened.target);
    }
    const text = opened.existing.text;
    if (oldString === "") {
      if (text.trim() !== "") return errorResult(`${file} already has content; an empty old_string only creates new files.`, "Give the exact text to replace.");
      return commitChange(ctx, file, opened.existing, newString, `Wrote ${file}.`, "\n", opened.target);
    }
    const count = text.split(oldString).length - 1;
    if (count === 0) {
      const near = looseMatchLine(text, oldString);
      const hint = LINE_NUMBER_PREFIX.test(oldString)
        ? "old_string seems to include Read's line-number prefixes; leave them out."
        : near !== undefined
          ? `It occurs at line ${near} with different indentation or spacing; copy it exactly from Read's output.`
          : "Read the file again and copy the text exactly, whitespace and indentation included.";
      return errorResult(`old_string was not found in ${file}.`, hint);
    }
    if (count > 1 && !input.replace_all) {
      return errorResult(`old_string occurs ${count} times in ${file}.`, "Include more surrounding lines to make it unique, or set replace_all to change every occurrence.");
    }
    // split/join, not String.replace: `$&` and friends in new_string must stay literal.
    const updated = input.replace_all ? text.split(oldString).join(newString) : spliceOnce(text, oldString, newString);
    const what = count === 1 ? "1 occurrence" : `${count} occurrences`;
    return commitChange(ctx, file, opened.existing, updated, `Edited ${file}: replaced ${what}.`, "\n", opened.target);
  },
});

/** The first line where old_string's lines occur when spacing is ignored, for a hint (1-based). */
function looseMatchLine(text: string, find: string): number | undefined {
  const squash = (line: string): string => line.trim().replace(/\s+/g, " ");
  const wanted = find.split("\n").map(squash);
  while (wanted.length > 0 && wanted[wanted.length - 1] === "") wanted.pop();
  while (wanted.length > 0 && wanted[0] === "") wanted.shift();
  if (wanted.length === 0) return undefined;
  const lines = text.split("\n").map(squash);
  for (let i = 0; i + wanted.length <= lines.length; i++) {
    if (wanted.every((w, j) => lines[i + j] === w)) return i + 1;
  }
  return undefined;
}

function spliceOnce(text: string, find: string, replacement: string): string {
  const at = text.indexOf(find);
  return text.slice(0, at) + replacement + text.slice(at + find.length);
}

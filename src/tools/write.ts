import { z } from "zod";
import { defineTool } from "./define-tool.js";
import { commitChange, openForChange } from "./file-change.js";
import { resolveToolPath } from "./resolve-path.js";
import { decodeText } from "./text-file.js";

const parameters = z.object({
  file_path: z.string().min(1).describe("The file to write: absolute, or relative to the working directory."),
  content: z.string().describe("The whole new content of the file."),
});

export const writeTool = defineTool({
  name: "Write",
  description:
    "Writes a whole file, creating it (and its folders) or replacing it. To replace an existing file, Read it first in this " +
    "session; prefer Edit for changing part of a file. An existing file keeps its line endings. The result shows the change as a unified diff.",
  parameters,
  readOnly: false,
  permission: (input, ctx) => ({ tool: "Write", effect: "write", paths: [resolveToolPath(ctx, input.file_path)] }),
  async execute(input, ctx) {
    const file = resolveToolPath(ctx, input.file_path);
    const opened = await openForChange(ctx, file, "Write");
    if (!opened.ok) return opened.result;
    // A new file gets the line endings the model wrote; an existing one keeps its own.
    const incoming = decodeText(Buffer.from(input.content, "utf8"));
    const summary = opened.existing ? `Wrote ${file}.` : `Created ${file}.`;
    return commitChange(ctx, file, opened.existing, incoming.text, summary, incoming.eol, opened.target);
  },
});

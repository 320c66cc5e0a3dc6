import { expect, it } from "vitest";
import { complete, type CompletionSources } from "./completion.js";

const sources = (over: Partial<CompletionSources> = {}): CompletionSources => ({
  commands: [
    { name: "plan", summary: "" },
    { name: "permissions", summary: "" },
    { name: "mcp", summary: "" },
    { name: "model", summary: "" },
  ],
  argumentChoices: (command, words) => (command === "mcp" ? (words.length === 0 ? ["list", "enable", "disable"] : words[0] === "enable" ? ["docs", "db"] : []) : []),
  files: ["README.md", "src/cli/main.ts", "src/cli/tui/app.ts", "src/index.ts", "test/a.test.ts"],
  history: ["fix the parser", "fix the build", "explain the router"],
  suggestion: "Run npm test and fix what fails",
  ...over,
});

it("completes a slash command's name with a space, the first match as ghost text and every match listed", () => {
  expect(complete("/pl", sources())).toEqual({ kind: "command", ghost: "an ", options: ["plan"] });
  expect(complete("/p", sources())).toEqual({ kind: "command", ghost: "lan ", options: ["plan", "permissions"] });
  expect(complete("/zz", sources())).toBeUndefined();
});

it("completes a command's arguments from its choices, given the words before", () => {
  expect(complete("/mcp ", sources())).toEqual({ kind: "argument", ghost: "list", options: ["list", "enable", "disable"] });
  expect(complete("/mcp d", sources())).toMatchObject({ ghost: "isable" });
  expect(complete("/mcp enable d", sources())).toEqual({ kind: "argument", ghost: "ocs", options: ["docs", "db"] });
  expect(complete("/mcp list", sources())).toBeUndefined();
  expect(complete("/model ", sources())).toBeUndefined();
});

it("completes @paths one folder at a time, folders first, a finished file name with a space", () => {
  expect(complete("look at @", sources())).toMatchObject({ kind: "file", ghost: "src/", options: ["@src/", "@test/", "@README.md"] });
  expect(complete("look at @src/c", sources())).toMatchObject({ ghost: "li/", options: ["@src/cli/"] });
  expect(complete("@src/cli/m", sources())).toEqual({ kind: "file", ghost: "ain.ts ", options: ["@src/cli/main.ts"] });
  expect(complete("@src/index.ts", sources())).toBeUndefined();
  expect(complete("/plan read @RE", sources())).toMatchObject({ ghost: "ADME.md " });
  expect(complete("mail me@", sources({ files: [] }))).toBeUndefined();
});

it("completes from the newest prompt that starts with the text, and suggests in the empty prompt", () => {
  expect(complete("fix the ", sources())).toEqual({ kind: "history", ghost: "build", options: [] });
  expect(complete("fix the p", sources())).toMatchObject({ ghost: "arser" });
  expect(complete("fix the build", sources())).toBeUndefined();
  expect(complete("", sources())).toEqual({ kind: "suggestion", ghost: "Run npm test and fix what fails", options: [] });
  expect(complete("", sources({ suggestion: undefined }))).toBeUndefined();
});

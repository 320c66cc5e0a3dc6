import { expect, it } from "vitest";
import { nextMode } from "./modes.js";
import { completions, SLASH_COMMANDS } from "./slash-commands.js";

it("completes slash commands by prefix, only while the command word is being typed", () => {
  expect(completions("/").map((c) => c.name)).toEqual(SLASH_COMMANDS.map((c) => c.name));
  expect(completions("/p").map((c) => c.name)).toEqual(["plan", "permissions"]);
  expect(completions("/he").map((c) => c.name)).toEqual(["help"]);
  expect(completions("/help ")).toEqual([]);
  expect(completions("/nothing")).toEqual([]);
  expect(completions("say /help")).toEqual([]);
});

it("Shift+Tab cycles default → accept edits → plan → default, and leaves bypass for default", () => {
  expect([nextMode("default"), nextMode("accept-edits"), nextMode("plan"), nextMode("bypass")]).toEqual(["accept-edits", "plan", "default", "default"]);
});

import { expect, it } from "vitest";
import { nextMode } from "./modes.js";
import type { SessionController } from "./session-controller.js";
import { completions, runSlash, SLASH_COMMANDS, suggestCommands } from "./slash-commands.js";

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

it("suggests the command an unknown one was likely meant as: a start of its name, or a typo away", () => {
  expect(suggestCommands("hepl")).toEqual(["help"]);
  expect(suggestCommands("qiut")).toEqual(["quit"]);
  expect(suggestCommands("modle")).toEqual(["model"]);
  expect(suggestCommands("perm")).toEqual(["permissions"]);
  expect(suggestCommands("Help")).toEqual(["help"]);
  expect(suggestCommands("xyzzy")).toEqual([]);
});

it("sends a line that starts with a path as a prompt, says an unknown command is unknown with the likely one, and takes /exit for /quit", async () => {
  const prompts: string[] = [];
  const notices: Array<{ text: string }> = [];
  let exits = 0;
  const controller = { prompt: (text: string) => (prompts.push(text), Promise.resolve()), notice: (n: { text: string }) => notices.push(n), exit: () => exits++ } as unknown as SessionController;
  await runSlash(controller, "/etc/hosts: what is in it?");
  await runSlash(controller, "/hepl");
  await runSlash(controller, "/exit");
  expect(prompts).toEqual(["/etc/hosts: what is in it?"]);
  expect(notices.map((n) => n.text)).toEqual(["There is no command /hepl. Did you mean /help?"]);
  expect(exits).toBe(1);
});

import { describe, expect, it } from "vitest";
import { daemonNoticeText, staleNotice } from "./daemon-notice-text.js";

describe("the notice of stale daemon files", () => {
  it("says a daemon whose pid names no process had exited and left its files behind", () => {
    const text = staleNotice({ pid: 4242, exited: true });
    expect(text).toBe("wren: removed stale daemon files naming pid 4242: that wren daemon had exited and left them behind");
    expect(text).not.toContain("could not be confirmed");
    expect(daemonNoticeText({ kind: "stale-removed", pid: 4242, exited: true })).toBe(text);
  });

  it("says a live process that could not be confirmed as the daemon was left alone", () => {
    const text = "wren: removed stale daemon files naming pid 4242, which could not be confirmed as a wren daemon (it was left alone)";
    expect(staleNotice({ pid: 4242, exited: false })).toBe(text);
    expect(daemonNoticeText({ kind: "stale-removed", pid: 4242, exited: false })).toBe(text);
    expect(staleNotice({ pid: undefined, exited: false })).toBe("wren: removed stale daemon files naming no process wren could confirm");
  });
});

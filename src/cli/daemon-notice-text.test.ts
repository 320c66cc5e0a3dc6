import { describe, expect, it } from "vitest";
import { daemonNoticeText, outdatedNotice, staleNotice } from "./daemon-notice-text.js";

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

describe("the notice of a daemon of another wren version, used as it is", () => {
  const daemon = { pid: 4242, daemonVersion: "0.0.1-old", wrenVersion: "0.2.0" };

  it("says it is busy when it reported requests", () => {
    expect(outdatedNotice({ ...daemon, activeRequests: 2 })).toBe(
      "wren: the wren daemon (pid 4242) runs wren 0.0.1-old, this is wren 0.2.0; it is busy with another session's requests, so it was used as it is. Run `wren daemon stop` once it is free, and the next command starts this wren's daemon.",
    );
  });

  it("says it may be busy when it did not say (its /status did not answer, or does not count what its router forwards)", () => {
    const text = outdatedNotice({ ...daemon, activeRequests: undefined });
    expect(text).toBe(
      "wren: the wren daemon (pid 4242) runs wren 0.0.1-old, this is wren 0.2.0; it did not say whether it is busy with another session's requests, so it was used as it is. Run `wren daemon stop` once it is free, and the next command starts this wren's daemon.",
    );
  });
});

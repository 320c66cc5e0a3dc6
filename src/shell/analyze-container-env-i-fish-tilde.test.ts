import { describe, expect, it } from "vitest";
import type { Risk, ShellKind } from "./types.js";
import { shellRater } from "../../test/helpers/shell-rated.js";

/**
 * `~` where HOME is unset (`env -i`, `env -u HOME`, `unset HOME`) is the home the user database
 * gives the user the shell runs as, not an empty HOME: in a container started as root that is
 * `/root`, whatever `-e HOME=…` said, and for another user (`-u USER`) only known at run time; on
 * the host it is the host user's home. fish reads `~NAME` as user NAME's home and leaves a `~NAME`
 * naming no user as written: `~+` is a file named `~+`, not bash's working directory nor `/home/ada+`.
 */
const rated = shellRater();

describe("`~` with HOME unset in a container, and fish's `~+`", () => {
  it.each<[ShellKind, string, Risk, string?]>([
    // env -i in a container: sh's `~` is root's passwd home, /root, here the host's home.
    ["bash", `docker run -v $HOME:/root alpine env -i sh -c 'rm -rf ~'`, "critical", "deletes /root recursively (in the container, /root is /home/ada)"],
    ["bash", `docker run -v $HOME:/root alpine env -i sh -c 'rm -rf ~/'`, "critical", "deletes /root"],
    ["bash", `docker run -v $HOME:/root alpine env -i bash -c 'rm -rf ~/*'`, "critical"],
    ["bash", `docker run -v $HOME:/root alpine env - sh -c 'rm -rf ~'`, "critical", "deletes /root recursively"],
    ["bash", `docker run -v $HOME:/root alpine env -u HOME sh -c 'rm -rf ~'`, "critical", "deletes /root recursively"],
    ["bash", `docker run -v $HOME:/root -e HOME=/h alpine env -i sh -c 'rm -rf ~'`, "critical", "deletes /root recursively"],
    ["bash", `docker run -v $HOME:/root alpine sh -c 'unset HOME; rm -rf ~'`, "critical", "deletes /root recursively"],
    ["bash", `docker run -v $HOME:/root alpine env -i sh -c 'sh -c "rm -rf ~"'`, "critical", "deletes /root recursively"],
    // ... while its `$HOME` is empty there.
    ["bash", `docker run -v $HOME:/root alpine env -i sh -c 'rm -rf $HOME/'`, "critical", "deletes / recursively"],
    // HOME given again: that one.
    ["bash", `docker run -v $HOME:/root alpine env -i HOME=/tmp sh -c 'rm -rf ~'`, "moderate"],
    // Another user: its home is only known at run time.
    ["bash", `docker run -u 1000 -v $HOME:/root alpine env -i sh -c 'rm -rf ~'`, "high", "deletes a path only known at run time recursively"],
    // On the host: the host user's home.
    ["bash", `env -i sh -c 'rm -rf ~'`, "critical", "deletes /home/ada recursively"],
    ["bash", `env -u HOME sh -c 'rm -rf ~'`, "critical", "deletes /home/ada recursively"],
    ["bash", `unset HOME; rm -rf ~`, "critical", "deletes /home/ada recursively"],
    // Kept safe.
    ["bash", `docker run -v $PWD:/src -w /src node:20 npm test`, "safe"],
    ["bash", `env -i PATH=/usr/bin make`, "safe"],
    // fish: `~+` names no user, so it is a file `~+` in the working directory.
    ["fish", `rm -rf ~+`, "moderate", "deletes ~+ recursively"],
    ["fish", `rm -rf ~+/x`, "moderate", "deletes ~+/x recursively"],
    ["fish", `rm -rf ~`, "critical", "deletes /home/ada recursively"],
    ["fish", `rm -rf ~root`, "critical", "deletes /root recursively"],
    // bash's `~+` stays the working directory.
    ["bash", `rm -rf ~+`, "high", "deletes /home/ada/code/app recursively"],
  ])("%s: %s is %s", (shell, line, risk, detail) => {
    const r = rated(line, shell);
    expect(r.risk, r.shown).toBe(risk);
    if (detail) expect(r.details.join(" | "), r.shown).toContain(detail);
  });

  it.each<[ShellKind, string]>([
    ["fish", `rm -rf ~+`],
    ["fish", `rm -rf ~+/x`],
    ["fish", `set x ~+; rm -rf $x`],
  ])("%s: %s is not a path beside the home", (shell, line) => {
    const r = rated(line, shell);
    expect(r.details.join(" "), r.shown).not.toMatch(/\/home\/ada\+/);
  });
});

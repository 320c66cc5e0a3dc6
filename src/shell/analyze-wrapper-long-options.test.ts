import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { shellRater } from "../../test/helpers/shell-rated.js";

/**
 * sudo, ionice, unshare, nsenter, setpriv, runuser, systemd-run, strace and chrt read their long
 * options with GNU getopt_long, which takes an abbreviation of exactly one option for that option:
 * `sudo --us root rm -rf /` runs `rm -rf /` as root, as `sudo --user root rm -rf /` does. wren reads
 * the option's value as its value, not as the command.
 */
const rated = shellRater();

/** Whether `program` is installed here, so its reading can be checked against the real thing. */
const installed = (program: string): boolean => spawnSync("bash", ["-c", `command -v ${program}`], { stdio: ["ignore", "pipe", "pipe"] }).status === 0;

/** What real bash prints for `line`; bash gets no stdin, so it reads no ~/.bashrc. */
const bashSays = (line: string): string =>
  spawnSync("bash", ["-c", line], { cwd: "/", encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], timeout: 10_000, env: { PATH: process.env["PATH"] ?? "", HOME: "/root" } }).stdout;
const SHOW = `sh -c 'for a; do printf "[%s]" "$a"; done' _`;

/** Each of these runs `rm -rf /`: the word after the option is its value. */
function runsTheCommand(wrapper: string): void {
  const r = rated(`${wrapper} rm -rf /`);
  expect(r.risk, r.shown).toBe("critical");
  expect(r.details, r.shown).toContain("deletes / recursively");
}

describe("sudo's long options, read from its option table (sudo 1.9)", () => {
  it.each<string>([
    "sudo --us root",
    "sudo --user root",
    "sudo --user=root",
    "sudo --gr wheel",
    "sudo --pro hi",
    "sudo --comm 5",
    "sudo --clo 3",
    "sudo --chd /tmp",
    "sudo --chr /srv",
    "sudo --ho box",
    "sudo --ro r",
    "sudo --ty t",
    "sudo --login-c staff",
    "sudo -a pam",
    "sudo --preserve-env",
    "sudo --preserve-e=PATH",
    "sudo --non -u root",
  ])("%s runs the command after the option's value", runsTheCommand);

  it("--preserve-e is --preserve-env cut short: the environment is kept", () => {
    const kept = rated("export x=/; sudo --preserve-e sh -c 'rm -rf $x'");
    expect(kept.details, kept.shown).toContain("deletes / recursively");
    const reset = rated("export x=/; sudo sh -c 'rm -rf $x'");
    expect(reset.details, reset.shown).not.toContain("deletes / recursively");
  });
});

describe("util-linux wrappers and strace, checked against the real programs", () => {
  it.each<[string, string]>([
    ["ionice", "ionice --classd 7"],
    ["ionice", "ionice --class=idle"],
    ["ionice", "ionice -t"],
    ["ionice", "ionice --ig -c 3"],
    ["unshare", "unshare --wd /tmp"],
    ["unshare", "unshare --ro /"],
    ["unshare", "unshare --setu 0"],
    ["unshare", "unshare --prop private"],
    ["nsenter", "nsenter --tar 1"],
    ["nsenter", "nsenter --setu 0 -t 1"],
    ["setpriv", "setpriv --reu 0"],
    ["setpriv", "setpriv --inh -all"],
    ["runuser", "runuser --us root --"],
    ["runuser", "runuser --supp root -u root --"],
    ["chrt", "chrt -o --sched-r 0 0"],
    ["chrt", "chrt --sched-p 0 -o 0"],
    ["strace", "strace -o /dev/null --string-l 5"],
    ["strace", "strace -o /dev/null --trace-p /x"],
  ])("%s: %s runs the command after the option's value", (program, wrapper) => {
    if (installed(program)) expect(bashSays(`${wrapper} ${SHOW} /`)).toBe("[/]");
    runsTheCommand(wrapper);
  });

  it("runuser USER --com CMD is runuser -c CMD", () => {
    if (installed("runuser")) expect(bashSays("runuser root --com 'printf [%s] /'")).toBe("[/]");
    for (const line of ["runuser root --com 'rm -rf /'", "runuser root --command='rm -rf /'"]) {
      const r = rated(line);
      expect(r.details, r.shown).toContain("deletes / recursively");
    }
  });
});

describe("systemd-run's long options, read from its option table", () => {
  it.each<string>(["systemd-run --desc x", "systemd-run --working-d /tmp", "systemd-run --prop Nice=5", "systemd-run --service-t oneshot", "systemd-run --on-ac 5"])(
    "%s runs the command after the option's value",
    runsTheCommand,
  );
});

import { spawn, type ChildProcess } from "node:child_process";
import type { Socket } from "node:net";

/** Seconds between the watchdog's SIGTERM and its SIGKILL, as the MCP SDK's own close waits. */
const GRACE_S = 2;

/**
 * The watchdog (POSIX sh, builtins and sleep only): it reads `w GROUP` (watch) and `u GROUP`
 * (forget) lines from its stdin, a pipe from wren, until the pipe ends: when wren closes it, or dies
 * however it dies (the kernel closes a killed process's pipes). Then it sends each group still
 * watched SIGTERM, waits up to a grace for them to end, SIGKILLs what is left of them, and only then
 * removes the folder `$1` if one is named: a shell stopped by SIGTERM runs its exit trap, which
 * writes its state in that folder, and a write landing while rm empties it would leave it behind.
 * rm is tried again while the folder is there, for a write a SIGKILL cut short.
 */
const SCRIPT = `groups=""
while read -r op id; do
  case "$op" in
    w) groups="$groups $id" ;;
    u) kept=""; for g in $groups; do [ "$g" = "$id" ] || kept="$kept $g"; done; groups=$kept ;;
  esac
done
left=""
for g in $groups; do kill -s TERM -- "-$g" 2>/dev/null && left="$left $g"; done
tenths=0
while [ -n "$left" ] && [ $tenths -lt ${GRACE_S * 10} ]; do
  sleep 0.1 2>/dev/null || { sleep 1; tenths=$((tenths + 9)); }
  tenths=$((tenths + 1))
  alive=""
  for g in $left; do kill -s 0 -- "-$g" 2>/dev/null && alive="$alive $g"; done
  left=$alive
done
for g in $left; do kill -s KILL -- "-$g" 2>/dev/null; done
[ -z "$1" ] && exit 0
tries=0
while [ -e "$1" ] && [ $tries -lt 20 ]; do
  [ $tries -gt 0 ] && { sleep 0.1 2>/dev/null || sleep 1; }
  rm -rf -- "$1" 2>/dev/null
  tries=$((tries + 1))
done
exit 0`;

/**
 * Stops process groups wren started, and removes a folder of wren's, when wren ends without doing
 * so itself: killed with SIGKILL, or crashed. A `sh` of its own (its own process group, so a
 * terminal's Ctrl+C does not end it) holds a pipe from wren and acts when the pipe closes; it never
 * keeps wren running. POSIX only: on Windows {@link ProcessWatchdog.start} gives none.
 */
export class ProcessWatchdog {
  readonly #child: ChildProcess;

  private constructor(child: ChildProcess) {
    this.#child = child;
  }

  /** Starts a watchdog; `removeOnExit` is a folder it removes when wren is gone. Undefined on Windows or without `/bin/sh`. */
  static start(options: { removeOnExit?: string } = {}): ProcessWatchdog | undefined {
    if (process.platform === "win32") return undefined;
    let child: ChildProcess;
    try {
      child = spawn("/bin/sh", ["-c", SCRIPT, "wren-watchdog", options.removeOnExit ?? ""], { detached: true, stdio: ["pipe", "ignore", "ignore"] });
    } catch {
      return undefined;
    }
    // No shell (a container without /bin/sh): nothing is watched, as without a watchdog.
    child.on("error", () => undefined);
    child.stdin?.on("error", () => undefined);
    child.unref();
    (child.stdin as Socket | null)?.unref();
    return new ProcessWatchdog(child);
  }

  /** Watches the process group `group` (a process started `detached` leads its own, numbered as its pid). */
  watch(group: number): void {
    this.#send(`w ${group}\n`);
  }

  /** Forgets a group that has ended, so that its number, which the system may give again, is never signalled. */
  forget(group: number): void {
    this.#send(`u ${group}\n`);
  }

  /** Closes the pipe: the watchdog stops the groups still watched (SIGTERM; SIGKILL to those left 2 s later), then removes its folder and exits. */
  close(): void {
    this.#child.stdin?.end();
  }

  #send(line: string): void {
    const stdin = this.#child.stdin;
    if (stdin && !stdin.destroyed && stdin.writable) stdin.write(line);
  }
}

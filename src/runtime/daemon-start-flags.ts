/** `wren serve` flags that take a value and take effect only when the daemon starts. */
const VALUED = new Set(["--gpu", "--threads", "--context", "--port", "--host"]);
/** The same, without a value. */
const BARE = new Set(["--advertise"]);

/** Whether the daemon at `url` listens where `--host` asks (`localhost` is its loopback address). */
function sameHost(asked: string, url: URL): boolean {
  const bound = url.hostname.replace(/^\[(.*)\]$/, "$1");
  return asked === bound || (asked === "localhost" && (bound === "127.0.0.1" || bound === "::1"));
}

/**
 * The flags among `serveArgs` (as given to `ensureDaemon`) that a daemon already running did not
 * start with: engine flags (`--gpu`, `--threads`, `--context`) and `--advertise` whatever their
 * value (it keeps the settings it started with), `--port` and `--host` when it listens elsewhere.
 * `--model` and `--offline` are not among them: a running daemon is asked for the model, and
 * nothing is downloaded for a run that reuses it.
 */
export function unappliedStartFlags(serveArgs: readonly string[], daemonUrl: string): string[] {
  const url = new URL(daemonUrl);
  const unapplied: string[] = [];
  for (let i = 0; i < serveArgs.length; i++) {
    const flag = serveArgs[i] ?? "";
    if (BARE.has(flag)) unapplied.push(flag);
    if (!VALUED.has(flag)) continue;
    const value = serveArgs[++i] ?? "";
    if (flag === "--port" && (value === "0" || value === url.port)) continue;
    if (flag === "--host" && sameHost(value, url)) continue;
    unapplied.push(flag);
  }
  return [...new Set(unapplied)];
}

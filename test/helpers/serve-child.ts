import type { ChildProcess } from "node:child_process";

/** The line `wren serve` writes on stderr once it listens: `serving MODEL[, MODEL…] on URL …`. */
const SERVING = /serving .+? on (http:\/\/\S+)/;

/** What a `wren serve` child says on stderr, as {@link watchServe} follows it. */
export interface ServeOutput {
  /**
   * Where it serves, once its stderr says so; rejects, with the end of its stderr, if it exits
   * first.
   */
  url: Promise<string>;
  /** What it has written on stderr so far (the last `keep` characters when told). */
  stderr: () => string;
}

/**
 * Follows the stderr of a `wren serve` child (any way it was started: `spawnCli`, a copied CLI, a
 * network namespace) for the URL it serves on. `pattern` is the line to wait for, its first group
 * the URL: by default any `serving … on URL`; a test that wants a particular line (a model's name,
 * proxy-only) says so. `keep` bounds the stderr kept, for a server that logs every request.
 */
export function watchServe(child: ChildProcess, options: { pattern?: RegExp; keep?: number } = {}): ServeOutput {
  const pattern = options.pattern ?? SERVING;
  let text = "";
  const url = new Promise<string>((resolve, reject) => {
    child.stderr?.setEncoding("utf8").on("data", (d: string) => {
      text += d;
      if (options.keep !== undefined) text = text.slice(-options.keep);
      const m = pattern.exec(text);
      if (m) resolve(m[1]!);
    });
    child.once("exit", (code, signal) => reject(new Error(`wren serve exited (${code ?? signal}): ${text.slice(-4000)}`)));
  });
  // Nobody may be waiting on it when the child exits after it served.
  url.catch(() => undefined);
  return { url, stderr: () => text };
}

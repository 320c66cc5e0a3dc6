import { spawn, type ChildProcess } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { createServer } from "node:net";
import os from "node:os";
import path from "node:path";

/** A real `redis-server` (Debian's, installed by .ci/run) on a free loopback port, without persistence. */
export interface RedisServer extends AsyncDisposable {
  url: string;
  port: number;
  /**
   * Stops the server's process (SIGSTOP): its connections stay open and nothing is answered, as
   * with a hung server or a half-open network. POSIX only.
   */
  freeze(): void;
  /** Lets a frozen server run again (SIGCONT). */
  thaw(): void;
  close(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}

/** Resolves once the server says it is ready; rejects with its output if it exits first. */
function ready(child: ChildProcess): Promise<void> {
  return new Promise((resolve, reject) => {
    let out = "";
    child.stdout?.setEncoding("utf8").on("data", (d: string) => {
      out += d;
      if (out.includes("Ready to accept connections")) resolve();
    });
    child.once("exit", (code) => reject(new Error(`redis-server exited (${code}): ${out}`)));
    child.once("error", reject);
  });
}

/**
 * Starts `redis-server` in a temporary folder. The port is found free just before; another process
 * can take it in between, so a start that fails on its address is tried again on another port.
 */
export async function startRedisServer(): Promise<RedisServer> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "wren-redis-"));
  for (let tries = 0; ; tries++) {
    const port = await freePort();
    const child = spawn("redis-server", ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", dir], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    try {
      await ready(child);
    } catch (error) {
      if (tries < 5 && String(error).includes("Address already in use")) continue;
      await rm(dir, { recursive: true, force: true });
      throw error;
    }
    const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
    let closed: Promise<void> | undefined;
    let frozen = false;
    const signal = (name: "SIGSTOP" | "SIGCONT"): void => {
      if (!child.kill(name)) throw new Error(`could not send ${name} to redis-server`);
      frozen = name === "SIGSTOP";
    };
    const freeze = (): void => signal("SIGSTOP");
    const thaw = (): void => signal("SIGCONT");
    const close = (): Promise<void> =>
      (closed ??= (async () => {
        // A frozen server would not act on SIGTERM until it runs again.
        if (frozen) child.kill("SIGCONT");
        child.kill("SIGTERM");
        await exited;
        await rm(dir, { recursive: true, force: true });
      })());
    return { url: `redis://127.0.0.1:${port}`, port, freeze, thaw, close, [Symbol.asyncDispose]: close };
  }
}

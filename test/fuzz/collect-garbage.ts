import { WebSocket } from "ws";

/**
 * Node option that lets the fuzz server's inspector be opened on demand: SIGUSR1 starts it on a
 * free loopback port (never a fixed one another process may hold) and the server logs its address.
 */
export const INSPECT_ON_SIGNAL = "--inspect-port=0";

/**
 * Asks V8 in the server process `pid` for a full, memory-reducing collection, through the
 * inspector (`HeapProfiler.collectGarbage`), and resolves once it is done. Linux and macOS only
 * (SIGUSR1). Why: between collections V8 keeps garbage and the old-space pages it sits on, as much as
 * it likes: after a fuzz run 105 MB of the server's RSS was such (old space 94 MB, 30 MB of it
 * live), 42 MB after the warm-up, so two readings at rest differed by V8's timing, not by what the
 * server holds. After this, RSS is what the server holds (a leak and native growth stay counted).
 * `log` reads the server's stderr, where Node writes the inspector's address.
 */
export async function collectGarbage(pid: number, log: () => string): Promise<void> {
  const address = await inspectorAddress(pid, log);
  const socket = new WebSocket(address);
  try {
    await new Promise<void>((resolve, reject) => {
      socket.once("open", () => resolve());
      socket.once("error", reject);
    });
    await new Promise<void>((resolve, reject) => {
      socket.on("message", (data: Buffer) => {
        const reply = JSON.parse(data.toString("utf8")) as { id?: number; error?: { message: string } };
        if (reply.id !== 1) return;
        if (reply.error) reject(new Error(`HeapProfiler.collectGarbage failed: ${reply.error.message}`));
        else resolve();
      });
      socket.send(JSON.stringify({ id: 1, method: "HeapProfiler.collectGarbage" }));
    });
  } finally {
    socket.close();
  }
}

const opened = new Map<number, string>();

/** The inspector's WebSocket address, opening the inspector first (once per process). */
async function inspectorAddress(pid: number, log: () => string): Promise<string> {
  const known = opened.get(pid);
  if (known) return known;
  process.kill(pid, "SIGUSR1");
  for (let waited = 0; waited < 30_000; waited += 50) {
    const address = /Debugger listening on (ws:\/\/\S+)/.exec(log())?.[1];
    if (address) {
      opened.set(pid, address);
      return address;
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`the server (pid ${pid}) did not open its inspector within 30 s of SIGUSR1; its log ends:\n${log().slice(-2000)}`);
}

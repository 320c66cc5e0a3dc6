import { StdioClientTransport, type StdioServerParameters } from "@modelcontextprotocol/sdk/client/stdio.js";

/** Characters of the server's stderr kept. */
const STDERR_TAIL = 2000;

/**
 * The SDK's stdio transport, with the server's stderr tail kept and a way to stop the server at
 * once. The SDK's own `close()` ends the server's stdin and waits 2 s before SIGTERM, and a failed
 * `initialize` starts that close itself, in the background, forgetting the process: `kill()`
 * still reaches it.
 */
export class McpStdioTransport extends StdioClientTransport {
  #stderr = "";
  #pid: number | undefined;
  #running = false;

  constructor(params: Omit<StdioServerParameters, "stderr">) {
    // Piped, never inherited: tools do not print. The tail explains a server that failed.
    super({ ...params, stderr: "pipe" });
    this.stderr?.on("data", (chunk: Buffer) => {
      this.#stderr = (this.#stderr + chunk.toString("utf8")).slice(-STDERR_TAIL);
    });
  }

  override async start(): Promise<void> {
    // The client set its handlers before start; the SDK calls onclose once the process has ended.
    const onclose = this.onclose;
    this.onclose = (): void => {
      this.#running = false;
      onclose?.();
    };
    await super.start();
    this.#pid = this.pid ?? undefined;
    this.#running = this.#pid !== undefined;
  }

  /** The last lines the server wrote to stderr, trimmed ("" when none). */
  get stderrTail(): string {
    return this.#stderr.trim();
  }

  /** Sends the server SIGTERM now, for a cancelled or failed start; `close()` still waits and escalates to SIGKILL. */
  kill(): void {
    if (!this.#running || this.#pid === undefined) return;
    try {
      process.kill(this.#pid, "SIGTERM");
    } catch {
      // Already gone.
    }
  }
}

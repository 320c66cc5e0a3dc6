import { spawn, type ChildProcess } from "node:child_process";
import type { PassThrough } from "node:stream";
import { getDefaultEnvironment, StdioClientTransport, type StdioServerParameters } from "@modelcontextprotocol/sdk/client/stdio.js";
import type { JSONRPCMessage } from "@modelcontextprotocol/sdk/types.js";
import { ProcessWatchdog } from "../process-watchdog.js";

/** Characters of the server's stderr kept. */
const STDERR_TAIL = 2000;
/** Characters of a bad stdout line quoted at most. */
const LINE_HEAD = 120;
/** Lines that were not JSON-RPC kept (besides the first), for a call to quote one printed while it ran. */
const RECENT_BAD_LINES = 8;
/**
 * Bytes of one stdout line read at most; a server whose line grows past it is stopped. Every
 * JSON-RPC message is one line, held whole in memory before it is read (bytes, string, parsed
 * object: several times its size). The model gets at most 50,000 characters of a result and only a
 * description of an image, audio or binary resource, but those arrive whole, base64: 16 MiB lets a
 * file or screenshot of about 12 MB through, which real servers send, and bounds what a server
 * that never ends its line costs wren.
 */
export const MAX_LINE_BYTES = 16 * 1024 * 1024;

/** What of the SDK's transport `start()` needs when wren spawns the process itself (all private to the SDK). */
interface SdkInternals {
  _process?: ChildProcess | undefined;
  _serverParams?: StdioServerParameters;
  _readBuffer?: { append(chunk: Buffer): void; clear?(): void };
  _stderrStream?: PassThrough | null;
  processReadBuffer?: () => void;
}

/** How a stdio server process ended. */
export interface McpServerExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/**
 * The SDK's stdio transport, watched: it keeps the server's stderr tail, how the process ended and
 * the first stdout line that was not JSON-RPC, so that a failure can say what went wrong instead
 * of "Request timed out." or "Not connected"; and it can stop the server at once. (The SDK's own
 * `close()` ends the server's stdin and waits 2 s before SIGTERM, and a failed `initialize` starts
 * that close itself, in the background, forgetting the process: `kill()` still reaches it.)
 *
 * The SDK keeps the child process private (`_process`); it is read once after start, for the exit
 * status and stdout. Should a later SDK rename it, those are unknown and the messages generic (the
 * tests would say so).
 *
 * On POSIX systems the server runs in a process group of its own, with a watchdog beside it (a
 * `sh` of a few hundred KB, in a group of its own too): should wren end without closing it (killed
 * with SIGKILL, a crash), the watchdog stops the whole group, so a server that ignores its stdin
 * closing, and whatever it started (`npx` and the server it runs), does not outlive wren. Closing
 * the transport stops the group too. Its own group also keeps a terminal's Ctrl+C, which wren
 * handles, from reaching the server. On Windows the SDK starts the process as it would.
 */
export class McpStdioTransport extends StdioClientTransport {
  #stderr = "";
  #pid: number | undefined;
  /** Whether the server leads a process group of its own (spawned here, not by the SDK). */
  #ownGroup = false;
  #watchdog: ProcessWatchdog | undefined;
  #spawned: Promise<void> | undefined;
  #running = false;
  #exit: McpServerExit | undefined;
  /** The first stdout line that was not a message, cut short, and the number of the line. */
  #firstBad: BadLine | undefined;
  /** The last few such lines (a chatty server may print many), oldest first. */
  #recentBad: BadLine[] = [];
  /** Stdout lines read so far. */
  #lines = 0;
  /** Set once the server wrote a line longer than `MAX_LINE_BYTES` and was stopped for it. */
  #overlong = false;
  /** Bytes of the stdout line being received (since the last newline). */
  #lineBytes = 0;
  /** Whether each stdout line the SDK read from the chunk at hand was a message (true) or not. */
  #outcomes: boolean[] = [];
  /** The start of the stdout line being received. */
  #lineHead = "";

  constructor(params: Omit<StdioServerParameters, "stderr">) {
    // Piped, never inherited: tools do not print. The tail explains a server that failed. The
    // SDK's own bound on what it buffers is the backstop where the SDK spawns the server (Windows);
    // elsewhere the line is measured before the SDK buffers it (`#measure`), a little below this.
    super({ ...params, stderr: "pipe", maxBufferSize: MAX_LINE_BYTES + 1024 * 1024 });
    this.stderr?.on("data", (chunk: Buffer) => {
      this.#stderr = (this.#stderr + chunk.toString("utf8")).slice(-STDERR_TAIL);
    });
  }

  override async start(): Promise<void> {
    // The client set its handlers before start; the SDK calls onclose once the process has ended,
    // and each stdout line ends in exactly one of onmessage and onerror.
    const { onclose, onmessage, onerror } = this;
    this.onclose = (): void => {
      this.#running = false;
      onclose?.();
    };
    this.onmessage = (message: JSONRPCMessage): void => {
      this.#outcomes.push(true);
      onmessage?.(message);
    };
    this.onerror = (error: Error): void => {
      if (isLineError(error)) this.#outcomes.push(false);
      if (error.message.startsWith("ReadBuffer exceeded maximum size")) this.#stopOverlong();
      onerror?.(error);
    };
    if (process.platform === "win32" || !this.#spawnOwnGroup()) await super.start();
    else await this.#started();
    this.#pid = this.pid ?? undefined;
    if (this.#pid !== undefined && this.#ownGroup) this.#watch(this.#pid);
    this.#running = this.#pid !== undefined;
    const child = (this as unknown as { _process?: ChildProcess })._process;
    child?.once("exit", (code, signal) => {
      this.#exit = { code, signal };
    });
    // Added after the SDK's own listener, so it runs once the SDK has read the same chunk.
    child?.stdout?.on("data", (chunk: Buffer) => this.#afterChunk(chunk.toString("utf8")));
  }

  /** How the server process ended; undefined while it runs (or when that is unknown). */
  get exit(): McpServerExit | undefined {
    return this.#exit;
  }

  /** Whether the server was stopped for a stdout line longer than wren reads. */
  get overlong(): boolean {
    return this.#overlong;
  }

  /** The first line the server wrote to stdout that was not a JSON-RPC message, cut short. */
  get badLine(): string | undefined {
    return this.#firstBad?.line;
  }

  /** How many stdout lines were read so far: a mark to pass to `badLineSince` (at the start of a call). */
  get linesRead(): number {
    return this.#lines;
  }

  /** The first line, from the `since`th on, that was not JSON-RPC (of the last few such lines, when there were many), cut short. */
  badLineSince(since: number): string | undefined {
    if (this.#firstBad && this.#firstBad.index >= since) return this.#firstBad.line;
    return this.#recentBad.find((bad) => bad.index >= since)?.line;
  }

  /**
   * What went wrong with the server, as the rest of "The server …" ("exited with code 1"); undefined
   * when nothing is known. `since` (from `linesRead`) leaves out what it printed before (a banner
   * at start is not what failed a call an hour later).
   */
  trouble(since = 0): string | undefined {
    if (this.#overlong) return `wrote a line of more than ${MAX_LINE_BYTES / 1024 / 1024} MB on stdout (no JSON-RPC message wren reads is that long) and was stopped`;
    const parts: string[] = [];
    const badLine = this.badLineSince(since);
    if (badLine !== undefined) parts.push(`printed something on stdout that is not JSON-RPC: "${badLine}"`);
    if (this.#exit) parts.push(describeExit(this.#exit));
    return parts.length > 0 ? parts.join(" and then ") : undefined;
  }

  /** The last few lines of the server's stderr, for a message ("" when none). */
  lastLines(count = 5): string {
    return this.stderrTail.split("\n").slice(-count).join("\n");
  }

  /** The last lines the server wrote to stderr, trimmed ("" when none). */
  get stderrTail(): string {
    return this.#stderr.trim();
  }

  /** Sends the server (its process group) SIGTERM now, for a cancelled or failed start; `close()` still waits and escalates to SIGKILL. */
  kill(): void {
    if (!this.#running || this.#pid === undefined) return;
    try {
      process.kill(this.#ownGroup ? -this.#pid : this.#pid, "SIGTERM");
    } catch {
      // Already gone.
    }
  }

  /** The SDK's close (stdin closed, then SIGTERM, then SIGKILL), then the rest of the server's group, by its watchdog. */
  override async close(): Promise<void> {
    try {
      await super.close();
    } finally {
      // Whatever the server started and left behind goes with it.
      this.#watchdog?.close();
      this.#watchdog = undefined;
    }
  }

  /**
   * Spawns the server as the SDK's `start()` does, but leading a process group of its own
   * (`detached`, which also gives it a session without a terminal). False when this SDK's
   * transport does not keep the fields this needs: the SDK then starts the process itself.
   */
  #spawnOwnGroup(): boolean {
    const sdk = this as unknown as SdkInternals;
    const params = sdk._serverParams;
    const readBuffer = sdk._readBuffer;
    if (!params || !readBuffer || typeof sdk.processReadBuffer !== "function" || sdk._process !== undefined) return false;
    const child = spawn(params.command, params.args ?? [], {
      env: { ...getDefaultEnvironment(), ...params.env },
      stdio: ["pipe", "pipe", params.stderr ?? "inherit"],
      shell: false,
      cwd: params.cwd,
      detached: true,
    });
    sdk._process = child;
    this.#ownGroup = true;
    this.#spawned = new Promise((resolve, reject) => {
      child.on("error", (error) => {
        reject(error);
        this.onerror?.(error);
      });
      child.on("spawn", () => resolve());
    });
    child.on("close", () => {
      sdk._process = undefined;
      this.onclose?.();
    });
    child.stdin?.on("error", (error) => this.onerror?.(error));
    // The chunks of a line not yet ended are kept here, and handed to the SDK's buffer together
    // when it ends: the SDK copies its whole buffer on each chunk it is given, which for a line of
    // many MB (64 KB chunks) costs seconds.
    let unended: Buffer[] = [];
    child.stdout?.on("data", (chunk: Buffer) => {
      if (!this.#measure(chunk)) {
        unended = [];
        return;
      }
      if (chunk.lastIndexOf(10) === -1) {
        unended.push(chunk);
        return;
      }
      const data = unended.length === 0 ? chunk : Buffer.concat([...unended, chunk]);
      unended = [];
      try {
        readBuffer.append(data);
        sdk.processReadBuffer!.call(this);
      } catch (error) {
        this.onerror?.(error as Error);
        this.close().catch(() => undefined);
      }
    });
    child.stdout?.on("error", (error) => this.onerror?.(error));
    if (sdk._stderrStream && child.stderr) child.stderr.pipe(sdk._stderrStream);
    return true;
  }

  /**
   * Counts the bytes of the stdout line being received; false (and the server stopped, its stdout
   * no longer read) once it is longer than `MAX_LINE_BYTES`.
   */
  #measure(chunk: Buffer): boolean {
    if (this.#overlong) return false;
    const newline = chunk.lastIndexOf(10);
    this.#lineBytes = newline === -1 ? this.#lineBytes + chunk.length : chunk.length - newline - 1;
    if (this.#lineBytes <= MAX_LINE_BYTES) return true;
    this.#stopOverlong();
    return false;
  }

  /** Stops a server whose stdout line is too long: its stdout is dropped, the server sent SIGTERM now, and closed (SIGKILL 2 s later if it is still there). */
  #stopOverlong(): void {
    if (this.#overlong) return;
    this.#overlong = true;
    const sdk = this as unknown as SdkInternals;
    sdk._readBuffer?.clear?.();
    sdk._process?.stdout?.destroy();
    this.kill();
    this.close().catch(() => undefined);
  }

  async #started(): Promise<void> {
    await this.#spawned;
  }

  /** Starts the watchdog of the server's group (see the class comment). */
  #watch(group: number): void {
    this.#watchdog = ProcessWatchdog.start();
    this.#watchdog?.watch(group);
  }

  #afterChunk(text: string): void {
    let start = 0;
    for (;;) {
      const end = text.indexOf("\n", start);
      const piece = text.slice(start, Math.min(end === -1 ? text.length : end, start + LINE_HEAD + 1));
      this.#lineHead = (this.#lineHead + piece).slice(0, LINE_HEAD + 1);
      if (end === -1) break;
      const line = this.#lineHead.replace(/\r$/, "");
      this.#lineHead = "";
      start = end + 1;
      const index = this.#lines++;
      if (this.#outcomes.shift() === false) {
        const bad = { line: line.length > LINE_HEAD ? `${line.slice(0, LINE_HEAD)}…` : line, index };
        this.#firstBad ??= bad;
        this.#recentBad = [...this.#recentBad.slice(1 - RECENT_BAD_LINES), bad];
      }
    }
    this.#outcomes = [];
  }
}

/** A stdout line that was not JSON-RPC, cut short, and its number (from 0). */
interface BadLine {
  line: string;
  index: number;
}

/** Errors the SDK reports for a stdout line it could not read as JSON-RPC (JSON.parse, then its schema). */
function isLineError(error: Error): boolean {
  return error instanceof SyntaxError || error.name === "ZodError";
}

/** How a server ended, for a message: "exited with code 1", "was killed by SIGKILL". */
function describeExit(exit: McpServerExit): string {
  return exit.signal ? `was killed by ${exit.signal}` : `exited with code ${exit.code ?? "unknown"}`;
}

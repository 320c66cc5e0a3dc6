import { spawn, type ChildProcess } from "node:child_process";
import type { PassThrough } from "node:stream";
import { getDefaultEnvironment, StdioClientTransport, type StdioServerParameters } from "@modelcontextprotocol/sdk/client/stdio.js";
import { serializeMessage } from "@modelcontextprotocol/sdk/shared/stdio.js";
import { ErrorCode, McpError, type JSONRPCMessage } from "@modelcontextprotocol/sdk/types.js";
import { ProcessWatchdog } from "../process-watchdog.js";

/** Characters of the server's stderr kept. */
const STDERR_TAIL = 2000;
/** Characters of a bad stdout line quoted at most. */
const LINE_HEAD = 120;
/** Lines that were not JSON-RPC kept (besides the first), for a call to quote one printed while it ran. */
const RECENT_BAD_LINES = 8;
/** Lines that were not JSON-RPC quoted at most, of those the server printed after its last message. */
const LAST_BAD_LINES = 5;
/**
 * Bytes of one stdout line read at most; the rest of a longer line is skipped, unread, up to its
 * newline. Every JSON-RPC message is one line, held whole in memory before it is read (bytes,
 * string, parsed object: several times its size). The model gets at most 50,000 characters of a
 * result and only a description of an image, audio or binary resource, but those arrive whole,
 * base64: 16 MiB lets a file or screenshot of about 12 MB through, which real servers send, and
 * bounds what a server that never ends its line costs wren.
 */
export const MAX_LINE_BYTES = 16 * 1024 * 1024;
/** Bytes kept of the start and of the end of a skipped line: where a response names its id. */
const SKIPPED_ENDS = 256;
/** Marks (in its `data`) the error a call gets when its answer was longer than `MAX_LINE_BYTES`. */
const OVERSIZED = "wrenOversizedReply";
/**
 * Time a server may take none of the bytes wren holds for it before it is taken to have stopped
 * reading its input. A server that reads takes them as fast as the pipe passes them (a 16 MB call in
 * well under a second); one busy with a call and not reading meanwhile is given this long.
 */
export const STALLED_INPUT_MS = 30_000;
/** Marks (in its `data`) the error a call gets once wren stopped writing to a server that stopped reading (`abandonUnreadInput`). */
const ABANDONED = "wrenAbandonedInput";

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
 * handles, from reaching the server. On Windows the SDK starts the process as it would: its
 * cross-spawn finds a command's `.cmd` shim (`npx` is `npx.cmd`), which Node's own spawn does not
 * run without a shell, and quotes its arguments for it; and Windows has no process groups. wren
 * still reads the server's stdout there (`#takeStdout`), so a line over `MAX_LINE_BYTES` fails
 * only its call on every system.
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
  /** Stdout line (from 0) of the last JSON-RPC message, -1 before the first. */
  #lastMessage = -1;
  /** Set once the server wrote a line longer than the SDK's buffer and was stopped for it (where the SDK reads stdout: an SDK without the fields wren reads through). */
  #overlong = false;
  /** The chunks of the stdout line being received, until its newline, and their bytes. */
  #unended: Buffer[] = [];
  #unendedBytes = 0;
  /** The stdout line being skipped, for being longer than `MAX_LINE_BYTES`. */
  #skipping: SkippedLine | undefined;
  /** The client's handler of messages, for the error answering a call whose answer was skipped. */
  #deliver: ((message: JSONRPCMessage) => void) | undefined;
  /**
   * What each stdout line read from the chunk at hand was, in order: a message (true), a line that
   * was not (false), or one skipped for its length.
   */
  #outcomes: (boolean | SkippedLine)[] = [];
  /** The start of the stdout line being received. */
  #lineHead = "";
  /** The bytes wren dropped when it stopped writing to the server (`abandonUnreadInput`); undefined while it writes. */
  #abandoned: number | undefined;
  /** Messages whose bytes are not all written to the server yet, with the request id of those that are requests. */
  readonly #unwritten = new Set<{ id?: string | number }>();
  /** Bytes written to the server's stdin so far, and how many of them Node still held, when last looked at. */
  #written = 0;
  #lastTaken = 0;
  #lastQueued = 0;
  /** When the server last took some of the bytes wren held for it. */
  #takenAt = 0;
  #stallWatch: NodeJS.Timeout | undefined;
  /** Sends waiting for Node to take more for the server (its stdin's `drain`). */
  readonly #waitingRoom: (() => void)[] = [];

  readonly #groupWanted: boolean;
  readonly #stalledInputMs: number;

  /**
   * `processGroup`: start the server in a process group of its own, watched (see the class
   * comment); default true, except on Windows, which has no process groups (there the SDK spawns
   * the server, for its handling of `.cmd` shims such as `npx.cmd`). `stalledInputMs`: how long
   * the server may take none of the bytes wren holds for it before wren stops writing to it
   * (`abandonUnreadInput`) and fails the calls it could not deliver; default `STALLED_INPUT_MS`.
   */
  constructor(params: Omit<StdioServerParameters, "stderr">, options: { processGroup?: boolean; stalledInputMs?: number } = {}) {
    // Piped, never inherited: tools do not print. The tail explains a server that failed. The
    // SDK's own bound on what it buffers is the backstop where the SDK reads stdout itself (an SDK
    // without the fields wren needs); elsewhere the line is measured before the SDK buffers it
    // (`#read`), a little below this.
    super({ ...params, stderr: "pipe", maxBufferSize: MAX_LINE_BYTES + 1024 * 1024 });
    this.#groupWanted = options.processGroup ?? process.platform !== "win32";
    this.#stalledInputMs = options.stalledInputMs ?? STALLED_INPUT_MS;
    this.stderr?.on("data", (chunk: Buffer) => {
      this.#stderr = (this.#stderr + chunk.toString("utf8")).slice(-STDERR_TAIL);
    });
  }

  override async start(): Promise<void> {
    // The client set its handlers before start; the SDK calls onclose once the process has ended,
    // and each stdout line ends in exactly one of onmessage and onerror.
    const { onclose, onmessage, onerror } = this;
    this.#deliver = onmessage;
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
    if (!this.#groupWanted || !this.#spawnOwnGroup()) {
      await super.start();
      // Before any of its output is read (the SDK resolved on "spawn", ahead of any I/O).
      this.#takeStdout();
    } else {
      await this.#started();
    }
    this.#pid = this.pid ?? undefined;
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

  /**
   * Bytes wren wrote to the server's stdin that the server has not read yet, beyond what the pipe
   * to it holds (0 when it reads, or when that is unknown): a server that stopped reading its
   * input leaves them waiting, and its calls cannot reach it. Node keeps them, so wren itself never
   * waits on the server, until `abandonUnreadInput` drops them.
   */
  get unreadInput(): number {
    return (this as unknown as SdkInternals)._process?.stdin?.writableLength ?? 0;
  }

  /** The bytes wren dropped when it stopped writing to the server (`abandonUnreadInput`); undefined while it writes to it. */
  get abandonedInput(): number | undefined {
    return this.#abandoned;
  }

  /**
   * For a call whose time ran out: when the server has input unread (`unreadInput`), it is taken
   * to have stopped reading, and wren stops writing to it: the server's stdin is closed, which
   * drops what Node still held for it, and every later request is answered at once with an error
   * (`abandonedInput` in place of an answer), not held for a server that does not read, each call
   * waiting out its time limit. The process is left running until the transport closes (a server
   * that reads again finds its input ended, and by the stdio convention exits). The bytes
   * dropped; 0 when none was unread, and nothing was done.
   */
  abandonUnreadInput(): number {
    if (this.#abandoned !== undefined) return this.#abandoned;
    const stdin = (this as unknown as SdkInternals)._process?.stdin;
    const unread = stdin?.writableLength ?? 0;
    if (unread === 0 || this.#exit) return 0;
    this.#abandoned = unread;
    this.#unwritten.clear();
    stdin?.destroy();
    return unread;
  }

  /**
   * Writes the message to the server's stdin, as the SDK does (resolving once Node takes more), and
   * watches that the server takes what Node holds for it (`#watchStall`). Once wren stopped writing
   * to the server, answers a request at once with an error and drops the rest.
   */
  override send(message: JSONRPCMessage): Promise<void> {
    const id = "method" in message && "id" in message ? message.id : undefined;
    const dropped = this.#abandoned;
    if (dropped !== undefined) {
      // After the caller has registered for its answer.
      if (id !== undefined) queueMicrotask(() => this.#refuse(id, dropped));
      return Promise.resolve();
    }
    const stdin = (this as unknown as SdkInternals)._process?.stdin;
    if (!stdin) return super.send(message);
    const json = serializeMessage(message);
    const entry = id === undefined ? {} : { id };
    this.#unwritten.add(entry);
    this.#written += Buffer.byteLength(json);
    const room = stdin.write(json, () => this.#unwritten.delete(entry));
    if (stdin.writableLength > 0) this.#watchStall();
    if (room) return Promise.resolve();
    return new Promise((resolve) => {
      // One listener for every send waiting (a model's parallel calls may be many).
      if (this.#waitingRoom.length === 0) {
        const settle = (): void => {
          stdin.off("drain", settle);
          stdin.off("close", settle);
          // Closed: a request that could not be written was answered with an error (`#refuse`); one that was waits for its answer.
          for (const resolveSend of this.#waitingRoom.splice(0)) resolveSend();
        };
        stdin.on("drain", settle);
        stdin.on("close", settle);
      }
      this.#waitingRoom.push(resolve);
    });
  }

  /** Answers request `id` with the error that says wren no longer writes to the server. */
  #refuse(id: string | number, dropped: number): void {
    this.#deliver?.({ jsonrpc: "2.0", id, error: { code: ErrorCode.ConnectionClosed, message: "The server stopped reading its input; wren writes it nothing more", data: { [ABANDONED]: dropped } } });
  }

  /**
   * While Node holds bytes for the server, checks that it takes some of them: a whole message
   * written, or part of one (libuv's write queue shrinking, for a message larger than the pipe).
   * When it has taken none for `stalledInputMs`, it is taken to have stopped reading: wren stops
   * writing to it (`abandonUnreadInput`), and the requests whose bytes did not all reach it fail at
   * once, instead of each waiting out its time limit. A request already written waits for its
   * answer as before: the server may be working on it.
   */
  #watchStall(): void {
    if (this.#stallWatch !== undefined) return;
    this.#takenAt = Date.now();
    this.#lastTaken = -1;
    this.#lastQueued = 0;
    const check = (): void => {
      const stdin = (this as unknown as SdkInternals)._process?.stdin;
      const held = stdin?.writableLength ?? 0;
      if (!stdin || held === 0 || this.#abandoned !== undefined || this.#exit) {
        clearInterval(this.#stallWatch);
        this.#stallWatch = undefined;
        return;
      }
      const taken = this.#written - held;
      const queued = (stdin as unknown as { _handle?: { writeQueueSize?: unknown } })._handle?.writeQueueSize;
      const partly = typeof queued === "number" && queued < this.#lastQueued;
      if (taken > this.#lastTaken || partly) this.#takenAt = Date.now();
      this.#lastTaken = taken;
      this.#lastQueued = typeof queued === "number" ? queued : 0;
      if (Date.now() - this.#takenAt < this.#stalledInputMs) return;
      const unsent = [...this.#unwritten].flatMap((entry) => (entry.id === undefined ? [] : [entry.id]));
      const dropped = this.abandonUnreadInput();
      for (const id of unsent) this.#refuse(id, dropped);
    };
    this.#stallWatch = setInterval(check, Math.min(1_000, Math.max(10, this.#stalledInputMs / 4)));
    this.#stallWatch.unref();
  }

  /** How many stdout lines were read so far: a mark to pass to `strayOutputSince` (at the start of a call). */
  get linesRead(): number {
    return this.#lines;
  }

  /**
   * What the server wrote on stdout, from its `since`th line on, that wren did not read as an
   * answer, as the rest of "The server …": the first line that was not JSON-RPC (of the last few
   * such lines, when there were many), cut short, or a line longer than wren reads (skipped, and
   * not the answer to a call, which that call is told of); undefined when none.
   */
  strayOutputSince(since: number): string | undefined {
    const bad = this.#firstBad && this.#firstBad.index >= since ? this.#firstBad : this.#recentBad.find((b) => b.index >= since);
    if (bad !== undefined) return describeBad(bad);
    if (this.#skipping && !this.#skipping.answered && this.#lines >= since) {
      return `is writing a line of more than ${megabytes(MAX_LINE_BYTES)} on stdout, more than wren reads of one message (it skips the rest of the line): "${cut(this.#lineHead)}"`;
    }
    return undefined;
  }

  /**
   * The server's last words, for a message after it stopped ("" when none): its last stderr lines,
   * and the lines it wrote on stdout after its last JSON-RPC message that were not JSON-RPC (a
   * crash report, a panic), the last few of them.
   */
  lastOutput(): string {
    const stray = this.#recentBad.filter((bad) => bad.index > this.#lastMessage && bad.line.trim() !== "").map(describeLine);
    // A line the server began and never ended (it stopped first) is part of what it said last.
    if (this.#exit && this.#lineHead.trim() !== "") stray.push(cut(this.#lineHead));
    const parts: string[] = [];
    const stderr = this.lastLines();
    if (stderr !== "") parts.push(`Its last output:\n${stderr}`);
    if (stray.length > 0) parts.push(`Its last lines on stdout, which are not JSON-RPC:\n${stray.slice(-LAST_BAD_LINES).join("\n")}`);
    return parts.join("\n");
  }

  /**
   * What went wrong with the server, as the rest of "The server …" ("exited with code 1"); undefined
   * when nothing is known. `since` (from `linesRead`) leaves out what it printed before (a banner
   * at start is not what failed a call an hour later).
   */
  trouble(since = 0): string | undefined {
    if (this.#overlong) return `wrote a line of more than ${MAX_LINE_BYTES / 1024 / 1024} MB on stdout (no JSON-RPC message wren reads is that long) and was stopped`;
    const parts: string[] = [];
    const stray = this.strayOutputSince(since);
    if (stray !== undefined) parts.push(stray);
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
    clearInterval(this.#stallWatch);
    this.#stallWatch = undefined;
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
    // Watched at once, before anything else runs: wren may be killed any time from now on.
    if (child.pid !== undefined) this.#watch(child.pid);
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
    this.#readStdout(child);
    child.stdout?.on("error", (error) => this.onerror?.(error));
    if (sdk._stderrStream && child.stderr) child.stderr.pipe(sdk._stderrStream);
    return true;
  }

  /**
   * Where the SDK spawned the server (Windows): its reader of stdout, which buffers a line whole
   * and stops the server past its bound, is replaced by wren's (`#read`), the same as elsewhere.
   * Left to the SDK when this SDK's transport lacks the fields that needs.
   */
  #takeStdout(): void {
    const sdk = this as unknown as SdkInternals;
    const stdout = sdk._process?.stdout;
    if (!stdout || !sdk._readBuffer || typeof sdk.processReadBuffer !== "function") return;
    for (const listener of stdout.listeners("data")) stdout.off("data", listener as (chunk: Buffer) => void);
    this.#readStdout(sdk._process!);
  }

  /** Reads the server's stdout line by line (`#read`) into the SDK's buffer, whose messages the SDK then handles. */
  #readStdout(child: ChildProcess): void {
    const sdk = this as unknown as SdkInternals;
    child.stdout?.on("data", (chunk: Buffer) => {
      try {
        this.#read(chunk, (line) => {
          sdk._readBuffer!.append(line);
          sdk.processReadBuffer!.call(this);
        });
      } catch (error) {
        this.onerror?.(error as Error);
        this.close().catch(() => undefined);
      }
    });
  }

  /**
   * Hands each whole stdout line of the chunk to `take` (the SDK's buffer), once it has ended: the
   * chunks of a line not yet ended are kept until then (the SDK copies its whole buffer on each
   * chunk it is given, which for a line of many MB, in 64 KB chunks, costs seconds). A line that
   * grows past `MAX_LINE_BYTES` is dropped and the rest of it skipped, unread, up to its newline;
   * the call it answers, if its start or end names one, gets an error saying so, and the server
   * goes on serving the others.
   */
  #read(chunk: Buffer, take: (line: Buffer) => void): void {
    let start = 0;
    while (start < chunk.length) {
      const newline = chunk.indexOf(10, start);
      const end = newline === -1 ? chunk.length : newline;
      const part = chunk.subarray(start, end);
      if (this.#skipping === undefined && this.#unendedBytes + part.length > MAX_LINE_BYTES) this.#beginSkipping(part);
      const skipping = this.#skipping;
      if (skipping !== undefined) {
        skipping.bytes += part.length;
        skipping.tail = lastBytes([skipping.tail, part], SKIPPED_ENDS);
        if (newline === -1) return;
        this.#skipping = undefined;
        this.#endSkipping(skipping);
      } else if (newline === -1) {
        this.#unended.push(part);
        this.#unendedBytes += part.length;
        return;
      } else {
        const line = chunk.subarray(start, newline + 1);
        const whole = this.#unended.length === 0 ? line : Buffer.concat([...this.#unended, line]);
        this.#unended = [];
        this.#unendedBytes = 0;
        take(whole);
      }
      start = newline + 1;
    }
  }

  /** The line being received, with `part` of it, is longer than wren reads: what was kept of it is dropped, its start noted. */
  #beginSkipping(part: Buffer): void {
    const head = firstBytes([...this.#unended, part], SKIPPED_ENDS);
    const skipping: SkippedLine = { head, tail: lastBytes(this.#unended, SKIPPED_ENDS), bytes: this.#unendedBytes, answered: false };
    this.#unended = [];
    this.#unendedBytes = 0;
    this.#skipping = skipping;
    // A response that names its id first (Python's SDK writes `{"jsonrpc":"2.0","id":7,"result":…`)
    // fails its call now, not once the rest of the line has gone by.
    this.#answerSkipped(skipping, responseId(head.toString("utf8"), ""));
  }

  /** The skipped line ended: the call it answers (its id may come last, as the TypeScript SDK writes it) is told. */
  #endSkipping(skipping: SkippedLine): void {
    this.#outcomes.push(skipping);
    if (!skipping.answered) this.#answerSkipped(skipping, responseId(skipping.head.toString("utf8"), skipping.tail.toString("utf8")));
  }

  #answerSkipped(skipping: SkippedLine, id: string | number | undefined): void {
    if (id === undefined || skipping.answered) return;
    skipping.answered = true;
    this.#deliver?.(oversizedReply(id));
  }

  /** Stops a server whose stdout line is longer than the SDK's buffer (where the SDK reads stdout): its stdout is dropped, the server sent SIGTERM now, and closed (SIGKILL 2 s later if it is still there). */
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
      const outcome = this.#outcomes.shift();
      if (outcome === true || (typeof outcome === "object" && outcome.answered)) {
        this.#lastMessage = index;
      } else if (outcome !== undefined) {
        const bad: BadLine = { line: cut(line), index, ...(outcome === false ? {} : { bytes: outcome.bytes }) };
        this.#firstBad ??= bad;
        this.#recentBad = [...this.#recentBad.slice(1 - RECENT_BAD_LINES), bad];
      }
    }
    this.#outcomes = [];
  }
}

/** A stdout line that was not JSON-RPC, or too long to read, cut short, and its number (from 0). */
interface BadLine {
  line: string;
  index: number;
  /** Its length, for one skipped for being longer than `MAX_LINE_BYTES`. */
  bytes?: number;
}

/** A stdout line being skipped: its first and (so far) last bytes, its length so far, and whether the call it answers was told. */
interface SkippedLine {
  head: Buffer;
  tail: Buffer;
  bytes: number;
  answered: boolean;
}

/** The error that answers request `id` in place of its answer, which was longer than `MAX_LINE_BYTES` and so skipped (see `oversizedAnswer`). */
export function oversizedReply(id: string | number): JSONRPCMessage {
  const message = `The server's answer was longer than ${megabytes(MAX_LINE_BYTES)}, the most wren reads of one message; it was skipped`;
  return { jsonrpc: "2.0", id, error: { code: ErrorCode.InternalError, message, data: { [OVERSIZED]: MAX_LINE_BYTES } } };
}

/**
 * Whether a call failed because the server's answer was longer than `MAX_LINE_BYTES` (and so
 * skipped): the limit, in bytes; undefined for other errors.
 */
export function oversizedAnswer(error: unknown): number | undefined {
  if (!(error instanceof McpError)) return undefined;
  const limit = (error.data as Record<string, unknown> | undefined)?.[OVERSIZED];
  return typeof limit === "number" ? limit : undefined;
}

/**
 * Whether a call failed because wren had stopped writing to its server (see `abandonUnreadInput`):
 * the bytes it dropped then; undefined for other errors.
 */
export function abandonedInput(error: unknown): number | undefined {
  if (!(error instanceof McpError)) return undefined;
  const bytes = (error.data as Record<string, unknown> | undefined)?.[ABANDONED];
  return typeof bytes === "number" ? bytes : undefined;
}

/**
 * The id of the response a skipped line is, from its start and its end; undefined when it is no
 * response (a request or notification from the server: its start names a method) or neither end
 * names the id at the top level of the object. Only the members before the first large one are
 * seen at the start, and only the last ones before the final brace at the end, so an `id` inside
 * the result is never taken for the response's.
 */
export function responseId(head: string, tail: string): string | number | undefined {
  const simple = String.raw`\s*"(?:jsonrpc|id)"\s*:\s*(?:"[^"\\]*"|-?\d+)\s*,`;
  const start = new RegExp(String.raw`^\s*\{((?:${simple})*)\s*"(result|error|method|params)"`).exec(head);
  if (!start || (start[2] !== "result" && start[2] !== "error")) return undefined;
  const id = /"id"\s*:\s*("[^"\\]*"|-?\d+)/.exec(start[1]!)?.[1]
    ?? new RegExp(String.raw`"id"\s*:\s*("[^"\\]*"|-?\d+)\s*(?:,\s*"jsonrpc"\s*:\s*"2\.0"\s*)?\}\s*$`).exec(tail)?.[1];
  return id === undefined ? undefined : (JSON.parse(id) as string | number);
}

/** A copy of the first `count` bytes of the buffers, in order. */
function firstBytes(buffers: Buffer[], count: number): Buffer {
  const taken: Buffer[] = [];
  let left = count;
  for (const buffer of buffers) {
    if (left <= 0) break;
    taken.push(buffer.subarray(0, left));
    left -= taken[taken.length - 1]!.length;
  }
  return Buffer.concat(taken);
}

/** A copy of the last `count` bytes of the buffers, in order. */
function lastBytes(buffers: Buffer[], count: number): Buffer {
  const taken: Buffer[] = [];
  let left = count;
  for (let i = buffers.length - 1; i >= 0 && left > 0; i--) {
    const buffer = buffers[i]!;
    taken.unshift(buffer.subarray(Math.max(0, buffer.length - left)));
    left -= taken[0]!.length;
  }
  return Buffer.concat(taken);
}

/** A line for a message, cut at `LINE_HEAD` characters. */
function cut(line: string): string {
  return line.length > LINE_HEAD ? `${line.slice(0, LINE_HEAD)}…` : line;
}

/** "16 MB" (MiB, as the limits are set). */
function megabytes(bytes: number): string {
  return `${Math.round(bytes / 1024 / 1024)} MB`;
}

/** A stray stdout line as the rest of "The server …". */
function describeBad(bad: BadLine): string {
  return bad.bytes === undefined
    ? `printed something on stdout that is not JSON-RPC: "${bad.line}"`
    : `wrote a line of ${megabytes(bad.bytes)} on stdout, more than the ${megabytes(MAX_LINE_BYTES)} wren reads of one message (it was skipped): "${bad.line}"`;
}

/** A stray stdout line for a list of the server's last lines. */
function describeLine(bad: BadLine): string {
  return bad.bytes === undefined ? bad.line : `${bad.line} [a line of ${megabytes(bad.bytes)}, skipped]`;
}

/** Errors the SDK reports for a stdout line it could not read as JSON-RPC (JSON.parse, then its schema). */
function isLineError(error: Error): boolean {
  return error instanceof SyntaxError || error.name === "ZodError";
}

/** How a server ended, for a message: "exited with code 1", "was killed by SIGKILL". */
export function describeExit(exit: McpServerExit): string {
  return exit.signal ? `was killed by ${exit.signal}` : `exited with code ${exit.code ?? "unknown"}`;
}

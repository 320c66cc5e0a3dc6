/* eslint-disable no-control-regex -- the frame is terminal escape sequences: the assertions match them */
import { PassThrough } from "node:stream";
import { describe, expect, it, vi } from "vitest";
import { drawFirstFrame, firstFrameLines, interrupt, type FirstFrameTerminal } from "./first-frame.js";
import { SplitStdin } from "./input/split-stdin.js";

const plain = (line: string): string => line.replace(/\x1b\[[0-9;]*m/g, "");

/** A terminal as the frame sees it: what is written, the raw mode's changes, and its input stream (a real one). */
function terminal(columns: number | undefined, env: NodeJS.ProcessEnv = {}): FirstFrameTerminal & { written: string; raw: boolean[]; input: PassThrough; unrefs: number } {
  const input = new PassThrough();
  const t = {
    written: "",
    raw: [] as boolean[],
    input,
    stdout: {
      columns: columns as number,
      write: (text: string | Uint8Array): boolean => {
        t.written += String(text);
        return true;
      },
    },
    stdin: Object.assign(input, {
      setRawMode: (mode: boolean) => void t.raw.push(mode),
      unref: () => void t.unrefs++,
    }),
    unrefs: 0,
    env,
  };
  return t;
}

describe("the terminal UI's first frame", () => {
  it("draws the prompt box across the whole width and the status line of a session still opening", () => {
    const lines = firstFrameLines({ model: "auto", columns: 40, color: false });
    expect(lines).toEqual([
      `╭${"─".repeat(38)}╮`,
      `│ >  ${" ".repeat(33)} │`,
      `╰${"─".repeat(38)}╯`,
      "auto · last: starting… · 0 in / 0 out ·…",
    ]);
    for (const line of lines) expect([...line]).toHaveLength(40);
  });

  it("keeps a status line that fits whole", () => {
    expect(firstFrameLines({ model: "openai:gpt-4o-mini", columns: 120, color: false })[3]).toBe("openai:gpt-4o-mini · last: starting… · 0 in / 0 out · $0.0000 · mode: default");
  });

  it("colours the border, the prompt sign and the status line, and marks the cursor cell", () => {
    const lines = firstFrameLines({ model: "auto", columns: 30, color: true });
    expect(lines[0]).toMatch(/^\x1b\[36m╭─+╮\x1b\[39m$/);
    expect(lines[1]).toContain("\x1b[90m> \x1b[39m\x1b[7m \x1b[27m");
    expect(lines[3]).toMatch(/^\x1b\[90mauto · /);
    expect(lines.map(plain)).toEqual(firstFrameLines({ model: "auto", columns: 30, color: false }));
  });

  it("draws without colour under NO_COLOR, 80 columns wide when the terminal does not say", () => {
    const t = terminal(undefined, { NO_COLOR: "1" });
    drawFirstFrame("auto", t);
    expect(t.written).not.toMatch(/\x1b\[\d+m/);
    expect(t.written).toContain(`╭${"─".repeat(78)}╮\n`);
    expect(t.raw).toEqual([true]);
  });

  it("erases exactly its own lines when Ink takes over, once, leaving the terminal in raw mode", () => {
    const t = terminal(50);
    const frame = drawFirstFrame("auto", t);
    const drawn = t.written;
    frame.handOver();
    frame.handOver();
    frame.abandon();
    // The frame's 4 lines end with a newline: the cursor is on the line under them.
    expect(t.written.slice(drawn.length)).toBe(`\x1b[2K${"\x1b[1A\x1b[2K".repeat(4)}\x1b[G`);
    expect(t.raw).toEqual([true]);
  });

  it("holds the keys typed before Ink takes over and puts them back at the front of the input, in order", async () => {
    const t = terminal(50);
    const frame = drawFirstFrame("auto", t);
    t.input.write("hel");
    t.input.write("lo\x1b[A");
    // The frame reads as the stream delivers: one turn of the event loop.
    await new Promise((resolve) => setImmediate(resolve));
    frame.handOver();
    t.input.write(" more");
    await new Promise((resolve) => setImmediate(resolve));
    expect(String(t.input.read())).toBe("hello\x1b[A more");
  });

  // Ctrl+C is left out: the first frame takes it at once (it interrupts the start, first-frame.ts).
  it("hands the keys typed before Ink to the input splitter, which gives them to Ink one key at a time", async () => {
    const t = terminal(50);
    const frame = drawFirstFrame("auto", t);
    t.input.write("/mcp d\tquestion\rnext\x1b[200~pasted\rtext\x1b[201~");
    await new Promise((resolve) => setImmediate(resolve));
    frame.handOver();
    const split = new SplitStdin(Object.assign(t.input, { setRawMode: () => undefined, ref: () => undefined, unref: () => undefined }), t.stdout);
    const pastes: string[] = [];
    split.on("paste", (text: string) => pastes.push(text));
    split.ref();
    await new Promise((resolve) => split.once("readable", resolve));
    const keys: (string | null)[] = [];
    for (let key = split.read(); key !== null; key = split.read()) keys.push(key);
    expect(keys).toEqual(["/mcp d", "\t", "question", "\r", "next"]);
    expect(pastes).toEqual(["pasted\rtext"]);
    split.unref();
  });

  it("holds a Ctrl+C pasted before Ink takes over as text, even with the paste cut across reads, and interrupts on one typed after it", async () => {
    // The interrupt is the process's SIGINT: caught here, so that the test runner is not interrupted.
    const kill = vi.spyOn(process, "kill").mockImplementation(() => true);
    try {
      const t = terminal(50);
      const frame = drawFirstFrame("auto", t);
      const chunks = ["\x1b[200~be", "fore\x03af", "ter\x1b[20", "1~ typed"];
      for (const chunk of chunks) {
        t.input.write(chunk);
        // One read per chunk: the frame reads as the stream delivers, one turn of the event loop.
        await new Promise((resolve) => setImmediate(resolve));
      }
      expect(kill).not.toHaveBeenCalled();
      frame.handOver();
      expect(String(t.input.read())).toBe(chunks.join(""));

      const other = terminal(50);
      drawFirstFrame("auto", other);
      other.input.write("\x1b[200~pasted\x03\x1b[201~");
      await new Promise((resolve) => setImmediate(resolve));
      expect(kill).not.toHaveBeenCalled();
      other.input.write("\x03");
      await new Promise((resolve) => setImmediate(resolve));
      expect(kill).toHaveBeenCalledWith(process.pid, "SIGINT");
      // The terminal was given back first.
      expect(other.raw).toEqual([true, false]);
    } finally {
      kill.mockRestore();
    }
  });

  it("gives the terminal back (cooked mode, the cursor shown, pastes no longer marked) when the session cannot start", () => {
    const t = terminal(50);
    const frame = drawFirstFrame("auto", t);
    expect(t.written.startsWith("\x1b[?25l\x1b[?2004h")).toBe(true);
    frame.abandon();
    expect(t.written.endsWith("\x1b[G\x1b[?25h\x1b[?2004l")).toBe(true);
    expect(t.raw).toEqual([true, false]);
    // Its input no longer holds the process open.
    expect(t.unrefs).toBe(1);
  });
});

describe("Ctrl+C before the session is drawn", () => {
  const fake = (listeners: number) => {
    const calls: string[] = [];
    return {
      calls,
      proc: {
        pid: 42,
        kill: (pid: number, signal?: string | number) => (calls.push(`kill ${pid} ${String(signal)}`), true),
        emit: (event: string) => (calls.push(`emit ${event}`), true),
        exit: (code?: number) => void calls.push(`exit ${code}`) as never,
        listenerCount: () => listeners,
      } as unknown as Parameters<typeof interrupt>[1],
    };
  };

  it("is SIGINT to this process where there are signals", () => {
    const { calls, proc } = fake(0);
    interrupt("linux", proc);
    interrupt("darwin", proc);
    expect(calls).toEqual(["kill 42 SIGINT", "kill 42 SIGINT"]);
  });

  it("on Windows, where killing itself would end the process at once, calls its listeners or exits as SIGINT would", () => {
    const listened = fake(1);
    interrupt("win32", listened.proc);
    expect(listened.calls).toEqual(["emit SIGINT"]);
    const alone = fake(0);
    interrupt("win32", alone.proc);
    expect(alone.calls).toEqual(["exit 130"]);
  });
});

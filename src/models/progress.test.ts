import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { formatBytes, formatDuration, parseBytes } from "./bytes.js";
import { createProgressRenderer } from "./progress.js";

function sink(): Writable & { text: string } {
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      stream.text += chunk.toString();
      done();
    },
  }) as Writable & { text: string };
  stream.text = "";
  return stream;
}

describe("sizes", () => {
  it("parses and formats", () => {
    expect(parseBytes("512MB")).toBe(512e6);
    expect(parseBytes("1.5 GiB")).toBe(1.5 * 1024 ** 3);
    expect(parseBytes("50GB")).toBe(50e9);
    expect(() => parseBytes("lots")).toThrow('"lots" is not a size.');
    expect(formatBytes(1185376)).toBe("1.2 MB");
    expect(formatBytes(999)).toBe("999 B");
    expect(formatDuration(185)).toBe("3m05s");
  });
});

describe("progress output", () => {
  const total = 10_000_000;
  const feed = (render: ReturnType<typeof createProgressRenderer>, clock: { t: number }) => {
    for (let received = 0; received <= total; received += 500_000) {
      clock.t += 50;
      render({ file: "m.gguf", received, total, resumedFrom: 0, done: false });
    }
    render({ file: "m.gguf", received: total, total, resumedFrom: 0, done: true });
  };

  it("redraws one bar in place on a terminal, with bytes, speed and ETA", () => {
    const out = sink();
    const clock = { t: 0 };
    feed(createProgressRenderer(out, { tty: true, columns: 100, now: () => clock.t }), clock);
    const frames = out.text.split("\r\u001b[K").filter(Boolean);
    expect(frames.length).toBeGreaterThan(5);
    expect(frames.length).toBeLessThan(21); // throttled to one redraw per 100 ms
    expect(frames[3]).toMatch(/^m\.gguf [█░]{40}\s+\d+% [\d.]+ MB\/10\.0 MB [\d.]+ MB\/s ETA \d+s$/);
    expect(frames.at(-1)).toBe(`m.gguf ${"█".repeat(40)} 100% 10.0 MB/10.0 MB 10.0 MB/s done\n`);
  });

  it("prints a plain line every 10% elsewhere", () => {
    const out = sink();
    const clock = { t: 0 };
    feed(createProgressRenderer(out, { tty: false, now: () => clock.t }), clock);
    const lines = out.text.trimEnd().split("\n");
    expect(lines).toHaveLength(11);
    expect(lines[0]).toMatch(/^m\.gguf: 0% 0 B\/10\.0 MB 0 B\/s ETA --$/);
    expect(lines.at(-1)).toBe("m.gguf: 100% 10.0 MB/10.0 MB 10.0 MB/s done");
    expect(out.text).not.toContain("\r");
  });

  it("says where a resumed download starts", () => {
    const out = sink();
    createProgressRenderer(out, { tty: false })({ file: "m.gguf", received: 5e6, total: 1e7, resumedFrom: 5e6 });
    expect(out.text).toContain("m.gguf: resuming at 5.0 MB\n");
  });
});

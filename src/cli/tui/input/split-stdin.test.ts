import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { isForwardDelete, SplitStdin } from "./split-stdin.js";

/** A terminal's input as SplitStdin reads it: a real stream, with raw mode and ref counted. */
function source(): PassThrough & { raw: boolean[]; refs: number; setRawMode(mode: boolean): void; ref(): void; unref(): void } {
  const counts = { raw: [] as boolean[], refs: 0 };
  const input = Object.assign(new PassThrough(), counts, {
    setRawMode: (mode: boolean): void => void input.raw.push(mode),
    ref: (): void => void input.refs++,
    unref: (): void => void input.refs--,
  });
  return input;
}

/** Reads what is waiting: keys as `key`, pastes as `paste:TEXT`, in the order they came. */
function drain(split: SplitStdin): string[] {
  const seen: string[] = [];
  const onPaste = (text: string): number => seen.push(`paste:${text}`);
  split.on("paste", onPaste);
  for (let key = split.read(); key !== null; key = split.read()) seen.push(key);
  split.off("paste", onPaste);
  return seen;
}

describe("the input Ink reads (one key per read)", () => {
  it("reads keys written together one by one, a paste in its place among them", async () => {
    const input = source();
    const split = new SplitStdin(input, { write: () => true });
    split.ref();
    const readable = new Promise((resolve) => split.once("readable", resolve));
    input.write("a\r\x1b[200~x\ry\x1b[201~\x03b");
    await readable;
    expect(drain(split)).toEqual(["a", "\r", "paste:x\ry", "\x03", "b"]);
  });

  it("gives a lone Esc as a key once nothing followed it in the same read", async () => {
    const input = source();
    const split = new SplitStdin(input, { write: () => true });
    split.ref();
    const readable = new Promise((resolve) => split.once("readable", resolve));
    input.write("\x1b");
    await readable;
    expect(drain(split)).toEqual(["\x1b"]);
  });

  it("passes raw mode on, marks pastes only while in raw mode, and stops reading the terminal when Ink lets go of it", async () => {
    const input = source();
    let written = "";
    const split = new SplitStdin(input, { write: (text: string) => (written += text) });
    split.ref();
    split.setRawMode(true);
    split.setRawMode(false);
    split.unref();
    expect(input.raw).toEqual([true, false]);
    expect(written).toBe("\x1b[?2004h\x1b[?2004l");
    expect(input.refs).toBe(0);
    input.write("later");
    await new Promise((resolve) => setImmediate(resolve));
    // Still in the terminal's input, for whoever reads it next (the setup wizard, say).
    expect(String(input.read())).toBe("later");
  });

  it("lets Ink's kitty keyboard detection take the input while it listens, and splits what it puts back", async () => {
    const input = source();
    const split = new SplitStdin(input, { write: () => true });
    const raw: string[] = [];
    const onData = (data: string): number => raw.push(data);
    split.on("data", onData);
    const seen = new Promise((resolve) => input.once("readable", () => setImmediate(resolve)));
    input.write("\x1b[?1uhi\r");
    await seen;
    expect(raw).toEqual(["\x1b[?1uhi\r"]);
    split.off("data", onData);
    split.ref();
    const readable = new Promise((resolve) => split.once("readable", resolve));
    split.unshift(Buffer.from("hi\r"));
    await readable;
    expect(drain(split)).toEqual(["hi", "\r"]);
    split.unref();
  });

  it("drops a kitty keyboard report that comes after the detection gave up: it is not a key", async () => {
    const input = source();
    const split = new SplitStdin(input, { write: () => true });
    split.ref();
    const readable = new Promise((resolve) => split.once("readable", resolve));
    input.write("\x1b[?1ua");
    await readable;
    expect(drain(split)).toEqual(["a"]);
    split.unref();
  });
});

it("tells the Delete key from Backspace, which Ink reports alike", () => {
  expect(["\x1b[3~", "\x1b[3;5~", "\x1b[3$", "\x1b[3^"].map(isForwardDelete)).toEqual([true, true, true, true]);
  expect(["\x7f", "\b", "\x1b\x7f", "\x1b[127u", "\x1b[3", "\x1b[33~", undefined].map(isForwardDelete)).toEqual([false, false, false, false, false, false, false]);
});

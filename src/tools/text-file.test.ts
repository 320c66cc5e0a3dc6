import { describe, expect, it } from "vitest";
import { judgeFileBytes, looksBinary, textIsBinary } from "./text-file.js";

describe("looksBinary", () => {
  it("takes a NUL byte as binary, as git does, in bytes or decoded text", () => {
    expect(looksBinary(Buffer.from("text\0more"))).toBe(true);
    expect(looksBinary("text\0more")).toBe(true);
  });

  it("takes content mostly not UTF-8 text as binary, without a NUL too", () => {
    const noise = Buffer.from(Array.from({ length: 3000 }, (_, i) => 0x80 + ((i * 37) % 128)));
    expect(looksBinary(noise)).toBe(true);
    expect(looksBinary(noise.toString("utf8"))).toBe(true);
    expect(looksBinary("\x01\x02\x03\x04 ab")).toBe(true);
  });

  it("keeps text with a few stray bytes, terminal colours and tabs as text", () => {
    expect(looksBinary(Buffer.from("Le café est prêt, à bientôt.\n", "latin1"))).toBe(false);
    expect(looksBinary("\x1b[32mok\x1b[0m\tdone\r\n")).toBe(false);
    expect(looksBinary("")).toBe(false);
    expect(looksBinary(Buffer.from("plain\n"))).toBe(false);
  });
});

describe("judgeFileBytes", () => {
  it("judges the whole file: a NUL byte past the head makes it binary, bytes that are not UTF-8 make it text a rewrite would damage", () => {
    const head = "x".repeat(20_000);
    expect(judgeFileBytes(Buffer.from(`${head}\0`))).toEqual({ kind: "binary", at: 20_000 });
    expect(judgeFileBytes(Buffer.from([0x01, 0x02, 0x03, 0x04, 0x20]))).toEqual({ kind: "binary", at: 0 });
    expect(judgeFileBytes(Buffer.concat([Buffer.from(head), Buffer.from("é", "latin1")]))).toEqual({ kind: "not-utf8", at: 20_000 });
    // A sequence cut short, and a lone continuation byte.
    const words = Buffer.from("some words ");
    expect(judgeFileBytes(Buffer.concat([words, Buffer.from([0xe2, 0x82, 0x61])]))).toEqual({ kind: "not-utf8", at: 11 });
    expect(judgeFileBytes(Buffer.concat([words, Buffer.from([0xe2, 0x82, 0xac, 0x80])]))).toEqual({ kind: "not-utf8", at: 14 });
    expect(judgeFileBytes(Buffer.from("\uFEFFcafé € 😀\r\n"))).toEqual({ kind: "text" });
    expect(judgeFileBytes(Buffer.alloc(0))).toEqual({ kind: "text" });
  });

  it("judges decoded text whole with textIsBinary, where looksBinary samples its head", () => {
    const text = `${"y".repeat(10_000)}${"\x01\x02\x03".repeat(5_000)}`;
    expect(looksBinary(text)).toBe(false);
    expect(textIsBinary(text)).toBe(true);
  });
});

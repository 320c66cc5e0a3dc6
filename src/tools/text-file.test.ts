import { describe, expect, it } from "vitest";
import { looksBinary } from "./text-file.js";

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

import { describe, expect, it } from "vitest";
import { describeVersionChange, formatFileVersion, sameFileVersion } from "./file-version.js";

const etag = (tag: string, size: number | null = 10): string => formatFileVersion({ sha256: null, etag: tag, lastModified: null, size }) ?? "";

describe("file versions", () => {
  it("compares ETags weakly: W/ and the quotes are form, not content", () => {
    expect(etag('W/"abc"')).toBe(etag('"abc"'));
    expect(sameFileVersion("etag:abc size:10", 'etag:W/"abc" size:10')).toBe(true);
    expect(sameFileVersion(etag('"abc"'), etag('"abd"'))).toBe(false);
    expect(sameFileVersion(etag('"abc"'), etag('"ABC"'))).toBe(false);
  });

  it("holds a size against a version only when both sides know it", () => {
    expect(sameFileVersion(etag('"abc"', null), etag('"abc"', 10))).toBe(true);
    expect(sameFileVersion(etag('"abc"', 11), etag('"abc"', 10))).toBe(false);
    expect(describeVersionChange(etag('"abc"', 11), etag('"abc"', 10))).toBe(" (11 bytes then, 10 bytes now)");
  });

  it("says what changed", () => {
    const sha = formatFileVersion({ sha256: "a".repeat(64), etag: null, lastModified: null, size: 10 }) ?? "";
    expect(describeVersionChange(etag('"abc"'), etag('"abd"'))).toBe(" (ETag abc then, abd now)");
    expect(describeVersionChange(etag('"abc"'), sha)).toBe(` (ETag abc then, SHA-256 ${"a".repeat(12)}… now)`);
    expect(sameFileVersion(etag('"abc"'), sha)).toBe(false);
  });
});

import { describe, expect, it } from "vitest";
import { isLoopbackHost, isLoopbackUrl } from "./loopback.js";

describe("this machine's loopback", () => {
  it("is localhost, *.localhost, 127.0.0.0/8 and ::1, however written", () => {
    for (const host of ["localhost", "LOCALHOST", "wren.localhost", "127.0.0.1", "127.1.2.3", "::1", "[::1]", "[::ffff:127.0.0.1]"]) expect(isLoopbackHost(host), host).toBe(true);
    for (const host of ["localhost.evil.example", "127.0.0.1.evil.example", "10.0.0.1", "0.0.0.0", "::", "example.com"]) expect(isLoopbackHost(host), host).toBe(false);
  });

  it("in a URL, and no URL is none", () => {
    expect(isLoopbackUrl("http://127.0.0.1:8080/v1")).toBe(true);
    expect(isLoopbackUrl("http://[::1]:1234")).toBe(true);
    expect(isLoopbackUrl("https://api.openai.com/v1")).toBe(false);
    expect(isLoopbackUrl("not a url")).toBe(false);
  });
});

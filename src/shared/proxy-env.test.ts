import { describe, expect, it } from "vitest";
import { proxyFor } from "./proxy-env.js";

describe("proxyFor: the proxy the environment sets for a request", () => {
  it("takes HTTPS_PROXY for https and HTTP_PROXY for http, lower case first", () => {
    const env = { HTTPS_PROXY: "http://secure.corp:3128", HTTP_PROXY: "http://plain.corp:3128", https_proxy: "http://lower.corp:8080" };
    expect(proxyFor("https://api.openai.com/v1", env)).toBe("http://lower.corp:8080/");
    expect(proxyFor("http://teacher.example/v1", env)).toBe("http://plain.corp:3128/");
    expect(proxyFor("https://api.openai.com/v1", { HTTP_PROXY: "http://plain.corp:3128" })).toBeUndefined();
    expect(proxyFor("https://api.openai.com/v1", {})).toBeUndefined();
    expect(proxyFor("https://api.openai.com/v1", { HTTPS_PROXY: "  " })).toBeUndefined();
  });

  it("reads a proxy without a scheme as http, and keeps its user and password", () => {
    expect(proxyFor("https://huggingface.co", { HTTPS_PROXY: "proxy.corp:3128" })).toBe("http://proxy.corp:3128/");
    expect(proxyFor("https://huggingface.co", { HTTPS_PROXY: "http://me:s%40cret@proxy.corp:3128" })).toBe("http://me:s%40cret@proxy.corp:3128/");
  });

  it("never sends this machine's loopback to a proxy", () => {
    const env = { HTTP_PROXY: "http://proxy.corp:3128", HTTPS_PROXY: "http://proxy.corp:3128" };
    for (const url of ["http://127.0.0.1:11434", "http://localhost:8080/v1", "http://[::1]:1234", "https://wren.localhost"]) expect(proxyFor(url, env)).toBeUndefined();
  });

  it("skips the hosts NO_PROXY lists: names with their subdomains, addresses, CIDR blocks, ports, or *", () => {
    const env = (noProxy: string) => ({ HTTPS_PROXY: "http://proxy.corp:3128", NO_PROXY: noProxy });
    expect(proxyFor("https://models.intranet.corp/x", env("intranet.corp"))).toBeUndefined();
    expect(proxyFor("https://intranet.corp/x", env(".intranet.corp"))).toBeUndefined();
    expect(proxyFor("https://a.intranet.corp/x", env("*.intranet.corp"))).toBeUndefined();
    expect(proxyFor("https://notintranet.corp/x", env("intranet.corp"))).toBe("http://proxy.corp:3128/");
    expect(proxyFor("https://10.1.2.3/x", env("example.com, 10.0.0.0/8"))).toBeUndefined();
    expect(proxyFor("https://11.1.2.3/x", env("10.0.0.0/8"))).toBe("http://proxy.corp:3128/");
    expect(proxyFor("https://192.168.1.5:8443/x", env("192.168.1.5:8443"))).toBeUndefined();
    expect(proxyFor("https://192.168.1.5/x", env("192.168.1.5:8443"))).toBe("http://proxy.corp:3128/");
    expect(proxyFor("https://[fd00::5]/x", env("fd00::/8"))).toBeUndefined();
    expect(proxyFor("https://api.openai.com/x", env("*"))).toBeUndefined();
    expect(proxyFor("https://api.openai.com/x", { HTTPS_PROXY: "http://proxy.corp:3128", no_proxy: "openai.com" })).toBeUndefined();
  });

  it("refuses a proxy wren cannot speak to, without quoting its password", () => {
    let refused: unknown;
    try {
      proxyFor("https://huggingface.co", { HTTPS_PROXY: "socks5://me:hunter2@proxy.corp:1080" });
    } catch (error) {
      refused = error;
    }
    expect(refused).toMatchObject({ code: "config_invalid", message: expect.stringContaining("HTTPS_PROXY is not an HTTP proxy's address") });
    expect((refused as Error).message).toContain("socks5://");
    expect(JSON.stringify(refused) + (refused as Error).message).not.toContain("hunter2");
  });
});

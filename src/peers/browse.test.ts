import { describe, expect, it } from "vitest";
import { serviceRecords } from "./advertise.js";
import { servicesIn } from "./browse.js";
import { keyFingerprint } from "./fingerprint.js";

describe("DNS-SD records of a wren server", () => {
  it("carry its name, port and key fingerprint, never the key, and read back as what was advertised", () => {
    const key = "a-shared-key-of-some-length";
    const records = serviceRecords({ name: "studio", port: 11435, fingerprint: keyFingerprint(key), version: "1.2.3" });
    expect(JSON.stringify(records)).not.toContain(key);
    const { found, gone } = servicesIn(records, "192.168.1.7");
    expect(gone).toEqual([]);
    expect(found).toEqual([{ name: "studio", address: "192.168.1.7", port: 11435, fingerprint: keyFingerprint(key), version: "1.2.3" }]);
  });

  it("reads withdrawn records (TTL 0) as gone, and skips other services and broken ports", () => {
    const withdrawn = serviceRecords({ name: "studio", port: 11435, fingerprint: "f", version: "1" }, 0);
    expect(servicesIn(withdrawn, "10.0.0.2")).toEqual({ found: [], gone: ["studio"] });
    const other = servicesIn([{ name: "_http._tcp.local", type: "PTR", data: "x._http._tcp.local" }], "10.0.0.2");
    expect(other).toEqual({ found: [], gone: [] });
    const broken = serviceRecords({ name: "odd", port: 70000, fingerprint: "f", version: "1" });
    expect(servicesIn(broken, "10.0.0.2").found).toEqual([]);
  });

  it("fingerprints differ between keys and stay the same for one key", () => {
    expect(keyFingerprint("one-key-one-key-one")).toBe(keyFingerprint("one-key-one-key-one"));
    expect(keyFingerprint("one-key-one-key-one")).not.toBe(keyFingerprint("two-key-two-key-two"));
    expect(keyFingerprint("one-key-one-key-one")).toMatch(/^[0-9a-f]{16}$/);
  });
});

import { describe, expect, it } from "vitest";
import { section } from "./peers.js";

describe("peers config section", () => {
  it("takes an interface as the IPv4 address it is, and refuses a name or anything else with what to write", () => {
    expect(section().parse({ interface: "192.168.1.7" })).toMatchObject({ interface: "192.168.1.7" });
    // mDNS would join no group on these, and discovery would hear nothing, silently.
    for (const wrong of ["eth0", "en0", "192.168.1", "fe80::1"]) expect(() => section().parse({ interface: wrong })).toThrow(/IPv4 address/);
  });
});

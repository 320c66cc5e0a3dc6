import { z } from "zod";
import type { FieldMeta } from "./context.js";

/** A peer's name: a DNS-SD instance label of letters, digits, `-` and `_` (what `peers.name` takes, and what wren reads off the network). */
export const PEER_NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]{0,62}$/;

/** `[peers]`: other wren servers on the LAN, found over mDNS/DNS-SD and used as `peer:<name>/<model>` targets (docs/peers.md). */
export function section() {
  return z
    .strictObject({
      advertise: z
        .boolean()
        .default(false)
        .describe("Announce this server on the LAN over mDNS (`_wren._tcp`) so peers can use its models (`--advertise`). Needs `key`: the server refuses to start without one."),
      discover: z.boolean().optional().describe("Look for peers on the LAN and offer their models as `peer:<name>/<model>`. Default: on when `advertise` is."),
      name: z
        .string()
        .regex(PEER_NAME_PATTERN, "letters, digits, '-' and '_' (up to 63)")
        .optional()
        .describe("This server's name among peers. Default: the host name (made of letters, digits and `-`)."),
      key: z
        .string()
        .min(16)
        .optional()
        .describe("The shared key peers sign their requests to each other with (at least 16 characters); the key itself is never sent, and only its fingerprint is advertised. Prefer the `WREN_PEERS_KEY` variable.")
        .meta({ secret: true } satisfies FieldMeta),
      keys: z
        // Secret as a whole (shown as its peers' names) and each key on its own (`peers.keys.NAME`).
        .record(z.string(), z.string().min(16).meta({ secret: true } satisfies FieldMeta))
        .default({})
        .describe("Per-peer keys by peer name, used instead of `key` to call that peer.")
        .meta({ secret: true } satisfies FieldMeta),
      interface: z
        // An interface's name (eth0) or a malformed address joins no multicast group: discovery would hear nothing, and say nothing.
        .ipv4("an IPv4 address of this machine's interface (e.g. 192.168.1.7), not the interface's name")
        .optional()
        .describe("IPv4 address of the network interface mDNS uses, e.g. `192.168.1.7` (`127.0.0.1` keeps discovery on this machine). Default: the system's choice."),
      refreshSeconds: z.int().min(1).default(10).describe("Seconds between asking the LAN for peers and each peer for its models, load and health."),
    })
    .prefault({})
    .describe("LAN peers: other wren servers found over mDNS.");
}

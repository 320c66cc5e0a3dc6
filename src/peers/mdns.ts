import makeMdns from "multicast-dns";

/** The DNS-SD service type wren servers advertise. */
export const SERVICE_TYPE = "_wren._tcp.local";

/** Options of {@link openMdns}. */
export interface MdnsOptions {
  /**
   * IPv4 address of the interface to send on and join the group on (`127.0.0.1` keeps it on this
   * machine). Default: the system's choice.
   */
  interface?: string | undefined;
}

export type Mdns = ReturnType<typeof makeMdns>;

/**
 * An mDNS socket on port 5353. It binds every address even when an interface is named: a socket
 * bound to the interface's own address does not receive datagrams sent to the group address on
 * Linux. Several wren processes on one machine share the port (SO_REUSEADDR), and multicast
 * loopback lets them hear each other.
 */
export function openMdns(options: MdnsOptions = {}): Mdns {
  return makeMdns({
    reuseAddr: true,
    loopback: true,
    bind: "0.0.0.0",
    ...(options.interface ? { interface: options.interface } : {}),
  });
}

/** The DNS-SD instance name of a wren server called `name`. */
export function instanceName(name: string): string {
  return `${name}.${SERVICE_TYPE}`;
}

import { BlockList, isIPv4 } from "node:net";
import os from "node:os";
import type { Answer } from "dns-packet";
import { PEER_NAME_PATTERN } from "../config/sections/peers.js";
import { openMdns, SERVICE_TYPE, type MdnsOptions } from "./mdns.js";

/** What an advertised fingerprint looks like ({@link keyFingerprint}); anything else counts as none. */
const FINGERPRINT = /^[0-9a-f]{16}$/;
/** An advertised version: short, printable; anything else is not shown. */
const VERSION = /^[\x21-\x7e]{1,64}$/;

/** A wren server heard on the network. */
export interface FoundService {
  name: string;
  /** Where its answer came from: the address to call it on. */
  address: string;
  port: number;
  fingerprint: string | undefined;
  version: string | undefined;
}

function txtFields(data: unknown): Record<string, string> {
  const fields: Record<string, string> = {};
  const items = Array.isArray(data) ? (data as unknown[]) : [data];
  for (const item of items) {
    const text = Buffer.isBuffer(item) ? item.toString("utf8") : typeof item === "string" ? item : "";
    const eq = text.indexOf("=");
    if (eq > 0) fields[text.slice(0, eq)] = text.slice(eq + 1);
  }
  return fields;
}

/** The wren services one mDNS response describes (records withdrawn with TTL 0 come back as `gone`). */
export function servicesIn(records: Answer[], address: string): { found: FoundService[]; gone: string[] } {
  const found: FoundService[] = [];
  const gone: string[] = [];
  for (const ptr of records) {
    if (ptr.type !== "PTR" || ptr.name !== SERVICE_TYPE || typeof ptr.data !== "string") continue;
    const instance = ptr.data;
    const srv = records.find((r) => r.type === "SRV" && r.name === instance);
    const txtRecord = records.find((r) => r.type === "TXT" && r.name === instance);
    const txt = txtFields(txtRecord?.type === "TXT" ? txtRecord.data : undefined);
    const name = txt["name"] ?? instance.slice(0, -(SERVICE_TYPE.length + 1));
    // Anyone on the network can announce anything: a name that is not a peer name (control
    // characters that would garble a terminal, spaces, any length) is not a wren server's.
    if (!PEER_NAME_PATTERN.test(name)) continue;
    if (ptr.ttl === 0) {
      gone.push(name);
      continue;
    }
    const port = srv && srv.type === "SRV" ? srv.data.port : Number(txt["port"]);
    if (!Number.isInteger(port) || port <= 0 || port > 65535) continue;
    const fingerprint = txt["fp"] !== undefined && FINGERPRINT.test(txt["fp"]) ? txt["fp"] : undefined;
    const version = txt["v"] !== undefined && VERSION.test(txt["v"]) ? txt["v"] : undefined;
    found.push({ name, address, port, fingerprint, version });
  }
  return { found, gone };
}

/** The port every mDNS responder sends from (RFC 6762 §6): answers from any other are not mDNS. */
const MDNS_PORT = 5353;

/**
 * Whether `address` is on a network this machine is attached to (or its loopback), given its
 * interfaces (default: the system's, read at each call, since they change). mDNS is link-local
 * (RFC 6762 §11): an answer from farther away was routed here, by nobody's peer.
 */
export function onLink(address: string, interfaces: ReturnType<typeof os.networkInterfaces> = os.networkInterfaces()): boolean {
  if (!isIPv4(address)) return false;
  if (address.startsWith("127.")) return true;
  const link = new BlockList();
  for (const entry of Object.values(interfaces).flat()) {
    if (entry?.family !== "IPv4" || !entry.cidr) continue;
    const [network, prefix] = entry.cidr.split("/");
    if (network !== undefined && prefix !== undefined) link.addSubnet(network, Number(prefix), "ipv4");
  }
  return link.check(address, "ipv4");
}

/** Options of {@link Browser}. */
export interface BrowserOptions extends MdnsOptions {
  /** Called for every announcement or answer heard, including repeats. */
  onFound(service: FoundService): void;
  /** Called when a server withdraws its records, with the address the withdrawal came from. */
  onGone?(name: string, address: string): void;
}

/** Listens for wren servers over mDNS and asks for them on {@link Browser.query}. */
export class Browser implements AsyncDisposable {
  readonly #mdns;

  constructor(options: BrowserOptions) {
    this.#mdns = openMdns(options);
    this.#mdns.on("response", (response, rinfo) => {
      if (rinfo.port !== MDNS_PORT) return;
      const { found, gone } = servicesIn([...response.answers, ...response.additionals], rinfo.address);
      // Every mDNS answer on the network comes here (printers, speakers): the interfaces are read only for wren's.
      if ((found.length === 0 && gone.length === 0) || !onLink(rinfo.address)) return;
      found.forEach((s) => options.onFound(s));
      gone.forEach((name) => options.onGone?.(name, rinfo.address));
    });
    this.#mdns.on("error", () => undefined);
  }

  /** Asks every wren server on the network to answer. */
  query(): void {
    this.#mdns.query([{ name: SERVICE_TYPE, type: "PTR" }]);
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await new Promise<void>((resolve) => this.#mdns.destroy(() => resolve()));
  }
}

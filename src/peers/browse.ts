import type { Answer } from "dns-packet";
import { openMdns, SERVICE_TYPE, type MdnsOptions } from "./mdns.js";

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
    if (ptr.ttl === 0) {
      gone.push(name);
      continue;
    }
    const port = srv && srv.type === "SRV" ? srv.data.port : Number(txt["port"]);
    if (!Number.isInteger(port) || port <= 0 || port > 65535) continue;
    found.push({ name, address, port, fingerprint: txt["fp"], version: txt["v"] });
  }
  return { found, gone };
}

/** Options of {@link Browser}. */
export interface BrowserOptions extends MdnsOptions {
  /** Called for every announcement or answer heard, including repeats. */
  onFound(service: FoundService): void;
  /** Called when a server withdraws its records. */
  onGone?(name: string): void;
}

/** Listens for wren servers over mDNS and asks for them on {@link Browser.query}. */
export class Browser implements AsyncDisposable {
  readonly #mdns;

  constructor(options: BrowserOptions) {
    this.#mdns = openMdns(options);
    this.#mdns.on("response", (response, rinfo) => {
      const { found, gone } = servicesIn([...response.answers, ...response.additionals], rinfo.address);
      found.forEach((s) => options.onFound(s));
      gone.forEach((name) => options.onGone?.(name));
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

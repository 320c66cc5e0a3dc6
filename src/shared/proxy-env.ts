import { BlockList, isIP } from "node:net";
import { WrenError } from "./errors.js";
import { isLoopbackHost } from "./loopback.js";

type Env = Record<string, string | undefined>;

/**
 * The HTTP proxy a request to `target` goes through, as the environment sets it the way curl and
 * most tools read it: `HTTPS_PROXY` for https, `HTTP_PROXY` for http (lower case first), none for a
 * host `NO_PROXY` lists. This machine's loopback is never sent to a proxy (a local server, Ollama,
 * a daemon), whatever `NO_PROXY` says. A proxy given without a scheme (`proxy.corp:3128`) is http.
 *
 * @throws WrenError `config_invalid` when the variable is not an http(s) proxy's URL.
 */
export function proxyFor(target: string | URL, env: Env = process.env): string | undefined {
  const url = typeof target === "string" ? new URL(target) : target;
  const name = url.protocol === "https:" ? "https_proxy" : url.protocol === "http:" ? "http_proxy" : undefined;
  if (name === undefined) return undefined;
  const upper = name.toUpperCase();
  const [variable, value] = nonEmpty(env[name]) ? [name, env[name]] : [upper, env[upper]];
  if (!nonEmpty(value)) return undefined;
  const host = url.hostname.replace(/^\[|\]$/g, "").toLowerCase();
  if (isLoopbackHost(host) || bypassed(host, url.port || (url.protocol === "https:" ? "443" : "80"), env["no_proxy"] ?? env["NO_PROXY"] ?? "")) return undefined;
  return proxyUrl(variable, value.trim());
}

function nonEmpty(value: string | undefined): value is string {
  return value !== undefined && value.trim() !== "";
}

function proxyUrl(variable: string, value: string): string {
  let parsed: URL | undefined;
  try {
    parsed = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(value) ? value : `http://${value}`);
  } catch {
    parsed = undefined;
  }
  if (parsed === undefined || (parsed.protocol !== "http:" && parsed.protocol !== "https:") || parsed.hostname === "") {
    // The value may hold the proxy's password: only its scheme is quoted.
    const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(value)?.[1];
    throw new WrenError("config_invalid", `${variable} is not an HTTP proxy's address${scheme ? ` (wren speaks to http:// and https:// proxies, not ${scheme}://)` : ""}.`, {
      hint: `Set ${variable} to http://HOST:PORT (user:password@ before the host if the proxy asks for them), or unset it.`,
    });
  }
  return parsed.href;
}

/** Whether `NO_PROXY` names the host: `*`, a name and its subdomains (`example.com`, `.example.com`, `*.example.com`), an address or a CIDR block, each with an optional `:port`. */
function bypassed(host: string, port: string, noProxy: string): boolean {
  for (const raw of noProxy.toLowerCase().split(/[\s,]+/)) {
    if (raw === "") continue;
    if (raw === "*") return true;
    const { entry, entryPort } = splitPort(raw);
    if (entryPort !== undefined && entryPort !== port) continue;
    if (entry.includes("/")) {
      if (inBlock(host, entry)) return true;
      continue;
    }
    if (isIP(entry) !== 0) {
      if (entry === host) return true;
      continue;
    }
    const name = entry.replace(/^\*?\.?/, "");
    if (name !== "" && (host === name || host.endsWith(`.${name}`))) return true;
  }
  return false;
}

function splitPort(entry: string): { entry: string; entryPort?: string } {
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(entry);
  if (bracketed) return bracketed[2] === undefined ? { entry: bracketed[1]! } : { entry: bracketed[1]!, entryPort: bracketed[2] };
  // An IPv6 address (more than one colon) has no port unless bracketed.
  const colon = entry.lastIndexOf(":");
  if (colon > 0 && entry.indexOf(":") === colon && /^\d+$/.test(entry.slice(colon + 1))) return { entry: entry.slice(0, colon), entryPort: entry.slice(colon + 1) };
  return { entry };
}

function inBlock(host: string, cidr: string): boolean {
  const family = isIP(host);
  const [network, bits] = cidr.split("/");
  const prefix = Number(bits);
  if (family === 0 || network === undefined || isIP(network) !== family || !Number.isInteger(prefix)) return false;
  const type = family === 4 ? "ipv4" : "ipv6";
  if (prefix < 0 || prefix > (family === 4 ? 32 : 128)) return false;
  const block = new BlockList();
  block.addSubnet(network, prefix, type);
  return block.check(host, type);
}

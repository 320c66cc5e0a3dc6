import type { Word } from "./ir.js";
import { RUN_TIME } from "./ir.js";
import { WEB_CMDLETS, webCmdletRequest } from "./web-cmdlets.js";

/**
 * The URLs an HTTP client's request goes to, read the way the client reads its arguments, so that
 * a request to this machine's own server can be told from one to another machine. Only these URLs
 * decide: `localhost` as a body (`curl -d localhost`), a header, a referer or a user name says
 * nothing about where the request goes.
 */

/** A URL or host of this machine (httpie's `:PORT/path` is localhost). */
const LOOPBACK = /^((https?|wss?):\/\/)?(localhost|127(\.[0-9]+){3}|\[::1\]|0\.0\.0\.0)(:[0-9]+)?([/?#]|$)|^:[0-9]*(\/|$)/;

interface ClientGrammar {
  /** Short options that take a value: the rest of their bundle (`-dx`) or the next word (`-sSd x`). */
  short: string;
  /** Long options that take the next word as their value (`--data x`; `--data=x` is one word). */
  long: readonly string[];
  /** Options whose value is a URL the request goes to (`curl --url URL`). */
  url?: readonly string[];
  /** Options that read more URLs from a file, so that not every URL is known (`wget -i FILE`). */
  moreUrls?: readonly string[];
  /** httpie: the operands are `[METHOD] URL [ITEM…]`, not a list of URLs. */
  methodUrlItems?: boolean;
  /** Options that keep the client from reading a body from its standard input (httpie's `--ignore-stdin`). */
  ignoreStdin?: readonly string[];
}

const CURL: ClientGrammar = {
  short: "dFTHXouAebcKmxUErCwDyYzQP",
  long: [
    "--data", "--data-binary", "--data-raw", "--data-ascii", "--data-urlencode", "--json", "--form", "--form-string",
    "--upload-file", "--header", "--request", "--output", "--user", "--user-agent", "--referer", "--cookie", "--cookie-jar",
    "--config", "--max-time", "--connect-timeout", "--proxy", "--proxy-user", "--cert", "--key", "--cacert", "--capath",
    "--range", "--continue-at", "--write-out", "--dump-header", "--retry", "--retry-delay", "--retry-max-time", "--speed-time",
    "--speed-limit", "--limit-rate", "--time-cond", "--resolve", "--connect-to", "--interface", "--dns-servers", "--quote",
    "--max-filesize", "--max-redirs", "--oauth2-bearer", "--aws-sigv4", "--url-query", "--variable", "--output-dir",
    "--ftp-port", "--local-port", "--proxy-header", "--ciphers", "--pinnedpubkey", "--trace", "--trace-ascii", "--stderr",
    "--unix-socket", "--abstract-unix-socket", "--noproxy", "--preproxy", "--socks4", "--socks4a", "--socks5",
    "--socks5-hostname", "--mail-from", "--mail-rcpt", "--request-target", "--netrc-file", "--proto", "--proto-redir",
    "--proto-default", "--cert-type", "--key-type", "--pass", "--expect100-timeout", "--keepalive-time", "--etag-save",
    "--etag-compare", "--hsts", "--alt-svc", "--tls-max", "--url",
  ],
  url: ["--url"],
  moreUrls: ["-K", "--config"],
};

const WGET: ClientGrammar = {
  short: "OoaeiBtTwQPUlARDIX",
  long: [
    "--output-document", "--output-file", "--append-output", "--execute", "--input-file", "--base", "--tries", "--timeout",
    "--wait", "--quota", "--directory-prefix", "--user-agent", "--header", "--post-data", "--post-file", "--body-data",
    "--body-file", "--method", "--user", "--password", "--http-user", "--http-password", "--load-cookies", "--save-cookies",
    "--ca-certificate", "--certificate", "--private-key", "--level", "--accept", "--reject", "--domains", "--exclude-domains",
    "--include-directories", "--exclude-directories", "--referer", "--limit-rate", "--bind-address", "--config",
  ],
  moreUrls: ["-i", "--input-file"],
};

const HTTPIE: ClientGrammar = {
  short: "aAopPs",
  long: [
    "--auth", "--auth-type", "--output", "--print", "--history-print", "--style", "--pretty", "--session", "--session-read-only",
    "--verify", "--cert", "--cert-key", "--cert-key-pass", "--proxy", "--timeout", "--max-redirects", "--max-headers", "--ssl",
    "--ciphers", "--boundary", "--raw", "--format-options", "--response-charset", "--response-mime", "--default-scheme",
    "--bearer", "--http-version", "--resolve", "--interface",
  ],
  methodUrlItems: true,
  ignoreStdin: ["-I", "--ignore-stdin"],
};

const CLIENTS: Readonly<Record<string, ClientGrammar>> = {
  curl: CURL,
  wget: WGET,
  wget2: WGET,
  http: HTTPIE,
  https: HTTPIE,
  xh: HTTPIE,
  xhs: HTTPIE,
};

/** httpie's and xh's `[METHOD]`: a word of letters only, followed by the URL. */
const METHOD_WORD = /^[A-Za-z]+$/;

/** Options whose value is the request's body (httpie's `--raw`): without a method, the request is a POST. */
const BODY_OPTIONS = ["--raw"];

/**
 * What the arguments say: the operands, the URLs options name, whether some URLs are not known,
 * and each option given with the word that gives its value (`-H V`: V; `-HV`, `--header=V`, or an
 * option that takes none: the option's own word), in order.
 */
interface ReadArgs {
  operands: Word[];
  urls: Word[];
  moreUrls: boolean;
  body: boolean;
  ignoreStdin: boolean;
  options: { option: string; word: Word }[];
}

/**
 * Whether a word only partly known at run time is still an option whose value holds the unknown
 * part: `--header="X: $(…)"`, `-H"X: $(…)"`, where the option is written out before any run-time value.
 */
function optionWithValue(grammar: ClientGrammar, text: string): boolean {
  if (text.startsWith("--")) return /^--[A-Za-z0-9][A-Za-z0-9-]*=/.test(text);
  for (let j = 1; j < text.length && text.charAt(j) !== RUN_TIME; j++) {
    if (grammar.short.includes(text.charAt(j))) return j < text.length - 1;
  }
  return false;
}

function readArgs(grammar: ClientGrammar, args: readonly Word[]): ReadArgs {
  const read: ReadArgs = { operands: [], urls: [], moreUrls: false, body: false, ignoreStdin: false, options: [] };
  let ended = false;
  for (let i = 0; i < args.length; i++) {
    const w = args[i];
    if (!w) break;
    if (ended || (w.dynamic && !optionWithValue(grammar, w.text)) || !w.text.startsWith("-") || w.text === "-") {
      read.operands.push(w);
      continue;
    }
    const t = w.text;
    if (t === "--") {
      ended = true;
      continue;
    }
    if (t.startsWith("--")) {
      const [option, inline] = t.includes("=") ? [t.slice(0, t.indexOf("=")), t.slice(t.indexOf("=") + 1)] : [t, undefined];
      if (grammar.moreUrls?.includes(option)) read.moreUrls = true;
      if (BODY_OPTIONS.includes(option)) read.body = true;
      if (grammar.ignoreStdin?.includes(option)) read.ignoreStdin = true;
      const value = inline === undefined && grammar.long.includes(option) ? args[++i] : undefined;
      read.options.push({ option, word: value ?? w });
      if (grammar.url?.includes(option)) {
        const url = inline === undefined ? value : { ...w, text: inline };
        if (url) read.urls.push(url);
      }
      continue;
    }
    // A short bundle: the first letter that takes a value takes the rest of the word, or the next word.
    for (let j = 1; j < t.length; j++) {
      const option = `-${t.charAt(j)}`;
      if (grammar.moreUrls?.includes(option)) read.moreUrls = true;
      if (grammar.ignoreStdin?.includes(option)) read.ignoreStdin = true;
      const takesValue = grammar.short.includes(t.charAt(j));
      const value = takesValue && j === t.length - 1 ? args[i + 1] : undefined;
      read.options.push({ option, word: value ?? w });
      if (!takesValue) continue;
      if (j === t.length - 1) i++;
      break;
    }
  }
  return read;
}

/**
 * httpie's and xh's `[METHOD] URL [ITEM…]`: the first of two or more operands is the method when it
 * is a word of letters (`localhost` is taken for the URL). One only known at run time is not known
 * either, unless the word after it is a request item and no URL (`http "$URL" Accept:json`): then,
 * as httpie reads a first operand that is no method, it is the URL.
 */
function methodUrlItems(operands: readonly Word[]): { method: Word | undefined; url: Word | undefined; items: Word[] } {
  const [first, second] = operands;
  const isMethod = first !== undefined && second !== undefined && (first.dynamic ? !isItemNotUrl(second) : METHOD_WORD.test(first.text) && !LOOPBACK.test(first.text));
  return isMethod ? { method: first, url: second, items: operands.slice(2) } : { method: undefined, url: first, items: operands.slice(1) };
}

/** httpie's item separators; at the earliest position in an item, the longest one decides what it is. */
const ITEM_SEPARATORS = [":=@", "==@", ":=", "=@", "==", ":@", "=", ":", ";", "@"];
/** The separators of items that go in the body: `name=value`, `name:=json`, `field@file`, `name=@file`, `name:=@file`. */
const DATA_SEPARATORS = new Set(["=", ":=", "@", "=@", ":=@"]);

/** Where an item's separator is and which it is, or undefined when the text has none. */
function itemSeparator(text: string): { at: number; sep: string } | undefined {
  const plain = text.replace(/\\./g, "__");
  let best: { at: number; sep: string } | undefined;
  for (const sep of ITEM_SEPARATORS) {
    const at = plain.indexOf(sep);
    if (at >= 0 && (!best || at < best.at || (at === best.at && sep.length > best.sep.length))) best = { at, sep };
  }
  return best;
}

/** Whether a request item goes in the body (a header `Name:value` or a query `name==value` does not). */
function isDataItem(item: Word): boolean {
  if (item.dynamic) return true;
  const best = itemSeparator(item.text);
  return best !== undefined && DATA_SEPARATORS.has(best.sep);
}

/**
 * Whether a word reads as a request item and not as a URL: a name before its separator with no `.`,
 * `/` or `[` in it (`example.com/a=b` and `[::1]:80` are URLs), and not `HOST:PORT` (`localhost:8080/x`).
 */
function isItemNotUrl(word: Word): boolean {
  if (word.dynamic) return false;
  const best = itemSeparator(word.text);
  if (!best || best.at === 0 || /[./[]/.test(word.text.slice(0, best.at))) return false;
  return !(best.sep === ":" && /^\d*(\/|$)/.test(word.text.slice(best.at + 1)));
}

/**
 * The URLs `name`'s request goes to, or undefined when some are not known: a client wren does not
 * read, URLs read from a file. A URL only known at run time is returned as it is (dynamic).
 */
export function requestUrls(name: string, args: readonly Word[]): Word[] | undefined {
  if (WEB_CMDLETS.has(name)) return webCmdletRequest(args).urls;
  const grammar = CLIENTS[name];
  if (!grammar) return undefined;
  const read = readArgs(grammar, args);
  if (read.moreUrls) return undefined;
  if (grammar.methodUrlItems) {
    const { url } = methodUrlItems(read.operands);
    return url ? [url] : [];
  }
  return [...read.urls, ...read.operands];
}

/**
 * The method of httpie's, xh's or a PowerShell web cmdlet's request (`web-cmdlets.ts`), in capitals: the one given, else POST when it sends a body
 * (data items, `--raw`, or its standard input when something is fed to it: a pipe, `< FILE`, a
 * here-string, even `< /dev/null`, since they read whatever stdin is not a terminal, unless
 * `--ignore-stdin`) and GET when not. Null when the method is only known at run time; undefined for
 * other commands.
 */
export function requestMethod(name: string, args: readonly Word[], stdinFed = false): string | null | undefined {
  if (WEB_CMDLETS.has(name)) return webCmdletRequest(args).method;
  const grammar = CLIENTS[name];
  if (!grammar?.methodUrlItems) return undefined;
  const read = readArgs(grammar, args);
  const { method, items } = methodUrlItems(read.operands);
  if (method) return method.dynamic ? null : method.text.toUpperCase();
  return read.body || (stdinFed && !read.ignoreStdin) || items.some(isDataItem) ? "POST" : "GET";
}

/** Whether the request goes to another machine: some URL is not this machine's, or they are not all known. */
export function goesElsewhere(name: string, args: readonly Word[]): boolean {
  const urls = requestUrls(name, args);
  if (!urls || urls.length === 0) return true;
  return urls.some((w) => w.dynamic || !LOOPBACK.test(w.text));
}

/** Options whose value a request sends as a header or its user, where a token is used: curl's `-H`, `-u`, `--oauth2-bearer`, wget's `--header`, httpie's `-a`. */
const AUTH_OPTIONS: Readonly<Record<string, { short: string; long: readonly string[] }>> = {
  curl: { short: "Hu", long: ["--header", "--user", "--oauth2-bearer"] },
  wget: { short: "", long: ["--header", "--user", "--password", "--http-user", "--http-password"] },
  http: { short: "a", long: ["--auth"] },
};

/** Options that send a request elsewhere than its URLs name, or through another server: a proxy, `--connect-to`, wget's `-e` settings. */
const REROUTE_OPTIONS: Readonly<Record<string, { short: string; long: readonly string[] }>> = {
  curl: {
    short: "x",
    long: ["--proxy", "--preproxy", "--connect-to", "--resolve", "--location-trusted", "--socks4", "--socks4a", "--socks5", "--socks5-hostname", "--unix-socket", "--abstract-unix-socket", "--doh-url"],
  },
  wget: { short: "e", long: ["--execute"] },
  http: { short: "", long: ["--proxy"] },
};

/** The words that give these options or their values (`-H V`: V; `-HV`, `--header=V`: that word), read as the client reads its options ({@link readArgs}). */
function optionWords(read: ReadArgs, wanted: { short: string; long: readonly string[] }): Word[] {
  return read.options.filter(({ option }) => (option.startsWith("--") ? wanted.long.includes(option) : wanted.short.includes(option.charAt(1)))).map(({ word }) => word);
}

/**
 * Whether an HTTP client wren reads (curl, wget, httpie, xh) is given `option`, read as it reads its
 * options: a short one in a bundle or with its value joined (`-sd@FILE`, `-d"$(…)"`), a long one
 * with `=VALUE` known only at run time too (`--data="$(…)"`), and not a word another option takes
 * as its value (`-H -d`). Undefined for other commands.
 */
export function givesOption(name: string, args: readonly Word[], option: string): boolean | undefined {
  const grammar = CLIENTS[name];
  if (!grammar) return undefined;
  const wanted = option.startsWith("--") ? { short: "", long: [option] } : { short: option.slice(1), long: [] };
  return optionWords(readArgs(grammar, args), wanted).length > 0;
}

/**
 * The arguments an HTTP client sends as a request's headers or user (curl's `-H V`, `-u V`, wget's
 * `--header=V`, httpie's `-a V` and `Name:value` items, a web cmdlet's `-Headers`, `-Token` and
 * `-Credential`), where a token is used as it is meant to be; undefined for other commands, and
 * where the request may go elsewhere than its URLs (a proxy, `--connect-to`, `--resolve`,
 * `--location-trusted`, wget's `-e` settings, a web cmdlet's `-Proxy` or splatted arguments).
 */
export function authWords(name: string, args: readonly Word[]): Word[] | undefined {
  if (WEB_CMDLETS.has(name)) {
    const request = webCmdletRequest(args);
    return request.proxied ? undefined : request.auth;
  }
  const grammar = CLIENTS[name];
  const key = grammar === HTTPIE ? "http" : grammar === WGET ? "wget" : grammar === CURL ? "curl" : undefined;
  const auth = key ? AUTH_OPTIONS[key] : undefined;
  const reroute = key ? REROUTE_OPTIONS[key] : undefined;
  if (!grammar || !auth || !reroute) return undefined;
  const read = readArgs(grammar, args);
  if (optionWords(read, reroute).length > 0) return undefined;
  const words = optionWords(read, auth);
  if (grammar.methodUrlItems) {
    const headers = methodUrlItems(read.operands).items.filter((item) => {
      const sep = itemSeparator(item.text);
      return sep?.sep === ":" && !item.text.slice(0, sep.at).includes(RUN_TIME);
    });
    words.push(...headers);
  }
  return words;
}

import type { Word } from "./ir.js";

/**
 * How PowerShell's web cmdlets, Invoke-WebRequest and Invoke-RestMethod (`iwr`, `irm`; `curl` and
 * `wget` in Windows PowerShell 5), read their arguments: where the request goes (`-Uri`, or the
 * first positional argument), its method (`-Method`, `-CustomMethod`) and the file it sends (`-InFile`). A parameter is written in
 * any case, in full, by an alias, or shortened to a prefix that names it alone (`-Meth Post`);
 * `-Method:Post` reaches here as two words, as `-Method Post` does.
 */
export const WEB_CMDLETS: ReadonlySet<string> = new Set(["invoke-webrequest", "invoke-restmethod"]);

/** Parameters that take no value. */
const SWITCHES = [
  "usebasicparsing", "usedefaultcredentials", "allowunencryptedauthentication", "allowinsecureredirect", "disablekeepalive",
  "skipcertificatecheck", "skipheadervalidation", "skiphttperrorcheck", "preserveauthorizationonredirect",
  "preservehttpmethodonredirect", "noproxy", "passthru", "resume", "followrellink", "verbose", "debug",
];

/** Parameters that take the next word as their value, common parameters included. */
const VALUED = [
  "uri", "method", "custommethod", "body", "infile", "outfile", "headers", "contenttype", "useragent", "websession",
  "sessionvariable", "credential", "certificate", "certificatethumbprint", "proxy", "proxycredential", "maximumredirection",
  "maximumretrycount", "retryintervalsec", "timeoutsec", "connectiontimeoutseconds", "operationtimeoutseconds",
  "transferencoding", "form", "authentication", "token", "sslprotocol", "httpversion", "responseheadersvariable",
  "statuscodevariable", "maximumfollowrellink", "unixsocket", "erroraction", "warningaction", "informationaction",
  "progressaction", "errorvariable", "warningvariable", "informationvariable", "outvariable", "outbuffer", "pipelinevariable",
];

const ALIASES: Readonly<Record<string, string>> = {
  cm: "custommethod", ea: "erroraction", wa: "warningaction", infa: "informationaction", proga: "progressaction",
  ev: "errorvariable", wv: "warningvariable", iv: "informationvariable", ov: "outvariable", ob: "outbuffer",
  pv: "pipelinevariable", vb: "verbose", db: "debug",
};

/** `-Method`'s enum, by name or by number (`-Method 3` is Post); `Default` sends a GET. */
const METHODS = ["GET", "GET", "HEAD", "POST", "PUT", "DELETE", "TRACE", "OPTIONS", "MERGE", "PATCH"];
const METHOD_NAMES = ["default", "get", "head", "post", "put", "delete", "trace", "options", "merge", "patch"];

/** A parameter's full name, or the names it may be when its prefix is shared (PowerShell then refuses it). */
function resolve(param: string): string[] {
  const name = param.replace(/^-+/, "").toLowerCase();
  const alias = ALIASES[name];
  if (alias) return [alias];
  const all = [...SWITCHES, ...VALUED];
  if (all.includes(name)) return [name];
  return all.filter((p) => p.startsWith(name));
}

export interface WebCmdletRequest {
  /** The method, in capitals: GET unless `-Method` or `-CustomMethod` names another; null when only known at run time. */
  method: string | null;
  /** The URLs the request goes to, or undefined when they are not known (a splatted `@params`). */
  urls: Word[] | undefined;
  /** The file `-InFile` sends as the body. */
  inFile?: Word;
  /** The values of `-Headers`, `-Token` and `-Credential`: what the request sends to authenticate. */
  auth: Word[];
  /** `-Proxy` sends the request through another server. */
  proxied: boolean;
}

/**
 * The request a web cmdlet sends. Without `-Method` it is a GET, even with `-Body` or `-InFile`: a
 * hash table body goes in the query string, other bodies go with the GET (which Windows PowerShell 5
 * refuses to send). Arguments splatted from a hash table (`irm @request`) may name any method and URL.
 */
export function webCmdletRequest(args: readonly Word[]): WebCmdletRequest {
  let method: string | null = "GET";
  let custom: string | null | undefined;
  let uri: Word | undefined;
  let inFile: Word | undefined;
  const positional: Word[] = [];
  const auth: Word[] = [];
  let proxied = false;
  for (let i = 0; i < args.length; i++) {
    const w = args[i];
    if (!w) break;
    if (!w.param) {
      if (!w.dynamic && /^@[A-Za-z_][A-Za-z0-9_]*$/.test(w.text)) return { method: null, urls: undefined, auth: [], proxied: true };
      positional.push(w);
      continue;
    }
    const names = resolve(w.text);
    if (names.length > 0 && names.every((n) => SWITCHES.includes(n))) continue;
    // A hash table (`-Headers @{…}`) reaches here as `@` and the block after it.
    const at = args[i + 1];
    const value = at && !at.dynamic && at.text === "@" && args[i + 2]?.dynamic ? args[(i += 2)] : args[++i];
    if (names.length !== 1 || !value) continue;
    if (names[0] === "uri") uri = value;
    else if (names[0] === "infile") inFile = value;
    else if (names[0] === "method") method = value.dynamic ? null : methodOf(value.text);
    else if (names[0] === "custommethod") custom = value.dynamic ? null : value.text.trim().toUpperCase();
    else if (names[0] === "headers" || names[0] === "token" || names[0] === "credential") auth.push(value);
    else if (names[0] === "proxy") proxied = true;
  }
  const url = uri ?? positional[0];
  return { method: custom !== undefined ? custom : method, urls: url ? [url] : [], ...(inFile ? { inFile } : {}), auth, proxied };
}

function methodOf(text: string): string {
  const t = text.trim().toLowerCase();
  const at = /^[0-9]$/.test(t) ? Number(t) : METHOD_NAMES.indexOf(t);
  return METHODS[at] ?? t.toUpperCase();
}

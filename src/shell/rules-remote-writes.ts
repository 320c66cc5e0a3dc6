import type { Rule } from "./rules.js";

/**
 * HTTP requests that change something on another machine: a `DELETE`, `PUT`, `POST` or `PATCH`,
 * data sent in the body, a file uploaded. The server may delete or publish what it is told to, and
 * nothing on this machine undoes it, so such a request is never safe; it is moderate, since sending
 * a request is often what the user asked for. Reading (`curl URL`, `-G`, `-X GET`, `-I`) stays
 * safe, and so does a request to this machine's own server (`localhost`, `127.0.0.1`, `[::1]`,
 * httpie's `:8080`), such as wren's: every URL the request goes to must be one of these
 * (`request-urls.ts`), whatever else on the line names `localhost`.
 */

/** A method that writes, alone (`-X DELETE`, httpie's `http DELETE URL`) or joined to its option. */
const WRITE_METHOD = "(DELETE|PUT|POST|PATCH|delete|put|post|patch)$";
const CURL_DATA = ["-d", "--data", "--data-binary", "--data-raw", "--data-ascii", "--data-urlencode", "--json", "-F", "--form", "--form-string", "-T", "--upload-file"];
const DETAIL = "sends a request that changes something on another machine";

export const REMOTE_WRITE_RULES: readonly Rule[] = [
  { id: "curl-write-method", commands: ["curl"], argPattern: `^(-X|--request=)?${WRITE_METHOD}`, remote: true, risk: "moderate", category: "network exposure", detail: DETAIL },
  // Data goes in a POST (or with -T a PUT); with -G it goes in the URL of a GET.
  { id: "curl-send-data", commands: ["curl"], flags: CURL_DATA, noFlags: ["-G", "--get", "-I", "--head"], remote: true, noArgPattern: "^(-X|--request=)?(GET|HEAD)$", risk: "moderate", category: "network exposure", detail: DETAIL },
  { id: "wget-write-method", commands: ["wget", "wget2"], argPattern: `^(--method=)?${WRITE_METHOD}`, remote: true, risk: "moderate", category: "network exposure", detail: DETAIL },
  { id: "wget-send-data", commands: ["wget", "wget2"], flags: ["--post-data", "--post-file", "--body-data", "--body-file"], remote: true, risk: "moderate", category: "network exposure", detail: DETAIL },
  // httpie and xh send a POST when items go in the body (`name=value`, `name:=json`, `field@file`) and no method is given;
  // headers (`Name:value`) and query items (`name==value`) do not make one. `--offline` only prints the request,
  // and xh's `--curl` (`--curl-long`) the curl command that would send it.
  { id: "httpie-write", commands: ["http", "https", "xh", "xhs"], requestMethods: ["DELETE", "PUT", "POST", "PATCH"], noFlags: ["--offline", "--curl", "--curl-long"], remote: true, risk: "moderate", category: "network exposure", detail: DETAIL },
  // PowerShell's Invoke-RestMethod and Invoke-WebRequest send what -Method or -CustomMethod names, else a GET (`web-cmdlets.ts`).
  { id: "powershell-web-write", commands: ["invoke-webrequest", "invoke-restmethod"], requestMethods: ["DELETE", "PUT", "POST", "PATCH", "MERGE"], remote: true, risk: "moderate", category: "network exposure", detail: DETAIL },
  // `gh api` sends a POST when given fields, unless told -X GET; GraphQL queries are read-only, mutations are not.
  { id: "forge-api-write", commands: ["gh", "glab"], subcommand: ["api"], argPattern: `^(-X|--method=)?(POST|PUT|PATCH|post|put|patch)$`, risk: "moderate", category: "network exposure", detail: DETAIL },
  { id: "forge-api-fields", commands: ["gh", "glab"], subcommand: ["api"], flags: ["-f", "-F", "--field", "--raw-field", "--input"], noArgPattern: "^(-X|--method=)?(GET|get)$|^graphql$", risk: "moderate", category: "network exposure", detail: DETAIL },
  { id: "forge-api-mutation", commands: ["gh", "glab"], subcommand: ["api"], args: ["graphql"], argPattern: "^query=\\s*mutation\\b", risk: "moderate", category: "network exposure", detail: DETAIL },
];

/**
 * Finds a reverse shell written as inline code: the code opens a network connection (a socket's
 * `connect`, `fsockopen`, `TCPSocket.new`, `IO::Socket::INET`, `net.connect`, `Deno.connect`, Lua's
 * `socket.tcp`) and starts a shell that reads its commands from its input (`/bin/sh -i`, `pty.spawn("/bin/bash")`,
 * `exec("sh <&3 >&3")`), which is how such code hands the connection's peer a shell; or it reads what arrives
 * (`<>`, `recv`, `:receive()`) and runs command lines only known at run time (`system$_ while<>`,
 * `io.popen(t:receive())`), which is the same shell fed a line at a time. A shell given a
 * command or a script of its own (`sh -c ls`, `sh build.sh`) reads nothing from its input and is not one.
 */

import type { InlineAction, InlineLanguage } from "./inline-action.js";
import { SHELLS } from "./rules.js";

/** Calls that open a network connection, per language; node's need the `net` or `tls` module too. */
const CONNECTS: Readonly<Record<InlineLanguage, RegExp>> = {
  python: /\.connect(?:_ex)?\s*\(\s*\(|(?<![\w.])(?:socket\.)?create_connection\s*\(|(?<![\w.])asyncio\.open_connection\s*\(/,
  perl: /\bIO::Socket::(?:INET6?|IP|SSL)\b|(?<![\w$])(?:pack_)?sockaddr_in6?\b/,
  ruby: /(?<![\w$])(?:(?:OpenSSL::SSL::SSL|TCP|UDP)Socket\.(?:new|open)|Socket\.(?:tcp|new))\b/,
  node: /(?<![\w$])(?:Deno|Bun)\.connect(?:Tls)?\s*\(/,
  php: /(?<![\w$>])(?:p?fsockopen|stream_socket_client|socket_connect)\s*\(/,
  // LuaSocket: `socket.tcp()`, `socket.connect(…)`, or the module under another name (`local s = require("socket")`) and `:connect(`.
  lua: /(?<![\w.:])socket\.(?:connect|tcp|udp)[46]?\s*\(|require\s*\(?\s*(["'])socket(?:\.core)?\1[\s\S]*:(?:connect|setpeername)\s*\(/,
};

/**
 * Reads of what arrives: on standard input (which such code points at the connection, `open(STDIN,">&S")`) or on
 * the socket itself, per language.
 */
const RECEIVES: Readonly<Record<InlineLanguage, RegExp>> = {
  python: /\.(?:recv(?:from)?|makefile|readline)\s*\(|(?<![\w.])input\s*\(/,
  perl: /<(?:STDIN|\$?\w+)?>|(?<![\w$])(?:recv|sysread|readline)\b|->\s*(?:getline|recv|sysread)\b/,
  ruby: /(?<![\w$])(?:gets|recv|readpartial|readline)\b/,
  node: /\.on\s*\(\s*(["'`])data\1/,
  php: /(?<![\w$>])(?:fgets|fread|socket_read|stream_get_line)\s*\(/,
  lua: /:receive\s*\(|(?<![\w.:])io\.read\s*\(/,
};

const NODE_NET = /(?:require\s*\(|import\s*\(|from)\s*(["'`])(?:node:)?(?:net|tls)\1/;
const NODE_CONNECT = /\.(?:connect|createConnection)\s*\(/;

/** True when the code opens a network connection. */
function connects(language: InlineLanguage, code: string): boolean {
  return CONNECTS[language].test(code) || (language === "node" && NODE_NET.test(code) && NODE_CONNECT.test(code));
}

const WINDOWS_SHELLS = ["cmd", "cmd.exe", "powershell", "powershell.exe", "pwsh", "pwsh.exe"];
const SHELL_NAMES: ReadonlySet<string> = new Set([...SHELLS, ...WINDOWS_SHELLS]);

/** Options that give a shell its command or script: `-c` (alone or in `-ic`), cmd's `/c` and `/k`, PowerShell's `-Command`, `-EncodedCommand` and `-File`. */
const UNIX_COMMAND = /^-[a-zA-Z]*c/;
const WINDOWS_COMMAND = /^[-/](?:c\w*|k|e|ec|enc\w*|f|file)$/i;

/** The shell's name when these words start a shell that reads commands from its input, else undefined. */
function inputShell(argv: readonly string[]): string | undefined {
  const [program, ...rest] = argv;
  const name = program?.split(/[\\/]/).at(-1)?.toLowerCase();
  if (name === undefined || !SHELL_NAMES.has(name)) return undefined;
  const windows = WINDOWS_SHELLS.includes(name);
  // Any other word is a script, an option's value or a command: wren does not guess which.
  const own = rest.some((a) => (windows ? !/^[-/]/.test(a) || WINDOWS_COMMAND.test(a) : !/^[-+]/.test(a) || UNIX_COMMAND.test(a)));
  return own ? undefined : name.replace(/\.exe$/, "");
}

/** The words of a command line's first command, its redirections left out (`/bin/sh -i <&3 >&3 2>&3` is `/bin/sh -i`). */
function commandWords(line: string): string[] {
  const first = line.split(/;|\|\|?|&&|\n/)[0] ?? "";
  const words: string[] = [];
  let target = false;
  for (const word of first.trim().split(/\s+/)) {
    if (target) target = false;
    else if (/^\d*(?:[<>]+&?|&>+)/.test(word)) target = /^\d*(?:[<>]+&?|&>+)$/.test(word);
    else words.push(word);
  }
  return words;
}

/**
 * A reverse shell when the code connects and starts a shell reading its input, or reads what arrives and runs
 * command lines only known at run time (with `sh`, as `system` and `popen` do); undefined otherwise.
 */
export function reverseShell(language: InlineLanguage, code: string, actions: readonly InlineAction[]): InlineAction | undefined {
  if (actions.some((a) => a.kind === "reverse-shell") || !connects(language, code)) return undefined;
  for (const action of actions) {
    const argv = action.kind === "argv" ? action.argv : action.kind === "shell" && action.command !== undefined ? commandWords(action.command) : undefined;
    const shell = argv && inputShell(argv);
    if (shell) return { kind: "reverse-shell", shell };
  }
  if (actions.some((a) => a.kind === "shell" && a.command === undefined) && RECEIVES[language].test(code)) return { kind: "reverse-shell", shell: "sh" };
  return undefined;
}

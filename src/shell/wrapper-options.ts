/**
 * Options of the wrappers that read them with GNU getopt_long, which also takes a long option cut
 * short while it names only one (`sudo --us root cmd` is `sudo --user root cmd`). Each list is every
 * long option of the program's newest release (an older release knowing fewer only makes fewer
 * abbreviations ambiguous); `value` holds those, short and long, that take the next word as their
 * value. Options whose value is optional take it only joined (`--preserve-env=PATH`), so they are
 * not among them.
 */
export interface WrapperOptions {
  value: readonly string[];
  long: readonly string[];
}

/** sudo (1.9): `-h` takes the next word as a host name, `-E`/`--preserve-env` only a joined list. */
export const SUDO_OPTIONS: WrapperOptions = {
  value: [
    "-a", "-C", "-c", "-D", "-g", "-h", "-p", "-R", "-r", "-T", "-t", "-U", "-u",
    "--auth-type", "--close-from", "--login-class", "--chdir", "--group", "--host", "--prompt", "--chroot", "--role", "--type",
    "--command-timeout", "--other-user", "--user",
  ],
  long: [
    "--askpass", "--auth-type", "--background", "--bell", "--close-from", "--login-class", "--chdir", "--preserve-env", "--edit",
    "--group", "--set-home", "--help", "--host", "--login", "--remove-timestamp", "--reset-timestamp", "--list", "--no-update",
    "--non-interactive", "--preserve-groups", "--prompt", "--chroot", "--role", "--stdin", "--shell", "--type", "--command-timeout",
    "--other-user", "--user", "--version", "--validate",
  ],
};

/** util-linux ionice: `-t` is `--ignore` and takes no value. */
export const IONICE_OPTIONS: WrapperOptions = {
  value: ["-c", "-n", "-p", "-P", "-u", "--class", "--classdata", "--pid", "--pgid", "--uid"],
  long: ["--classdata", "--class", "--help", "--ignore", "--pid", "--pgid", "--uid", "--version"],
};

/** util-linux unshare: the namespace options (`--mount[=FILE]`, …) take their file only joined. */
export const UNSHARE_OPTIONS: WrapperOptions = {
  value: [
    "-S", "-G", "-R", "-w", "-l",
    "--map-user", "--map-users", "--map-group", "--map-groups", "--owner", "--propagation", "--setgroups", "--setuid", "--setgid",
    "--root", "--wd", "--monotonic", "--boottime", "--load-interp", "--whitelist-env",
  ],
  long: [
    "--help", "--version", "--mount", "--uts", "--ipc", "--net", "--pid", "--user", "--cgroup", "--time", "--fork", "--kill-child",
    "--forward-signals", "--mount-proc", "--mount-binfmt", "--map-user", "--map-users", "--map-group", "--map-groups",
    "--map-root-user", "--map-current-user", "--map-auto", "--map-subids", "--owner", "--propagation", "--setgroups", "--keep-caps",
    "--setuid", "--setgid", "--root", "--wd", "--monotonic", "--boottime", "--load-interp", "--clear-env", "--whitelist-env",
  ],
};

/** util-linux nsenter: `--root[=DIR]`, `--wd[=DIR]` and the namespace options take theirs only joined. */
export const NSENTER_OPTIONS: WrapperOptions = {
  value: ["-t", "-N", "-S", "-G", "--target", "--net-socket", "--setuid", "--setgid"],
  long: [
    "--all", "--help", "--version", "--target", "--mount", "--uts", "--ipc", "--net", "--net-socket", "--pid", "--user", "--cgroup",
    "--time", "--setuid", "--setgid", "--root", "--wd", "--wdns", "--env", "--no-fork", "--join-cgroup", "--preserve-credentials",
    "--keep-caps", "--user-parent", "--follow-context",
  ],
};

/** util-linux setpriv. */
export const SETPRIV_OPTIONS: WrapperOptions = {
  value: [
    "--inh-caps", "--ambient-caps", "--ruid", "--euid", "--rgid", "--egid", "--reuid", "--regid", "--groups", "--bounding-set",
    "--securebits", "--pdeathsig", "--ptracer", "--selinux-label", "--apparmor-profile", "--landlock-access", "--landlock-rule",
    "--list-landlock-rights", "--seccomp-filter",
  ],
  long: [
    "--dump", "--nnp", "--no-new-privs", "--inh-caps", "--ambient-caps", "--list-caps", "--ruid", "--euid", "--rgid", "--egid",
    "--reuid", "--regid", "--clear-groups", "--keep-groups", "--init-groups", "--groups", "--bounding-set", "--securebits",
    "--pdeathsig", "--ptracer", "--selinux-label", "--apparmor-profile", "--landlock-access", "--landlock-rule", "--landlock-support",
    "--list-landlock-access", "--list-landlock-rights", "--seccomp-filter", "--help", "--reset-env", "--version",
  ],
};

/** util-linux runuser (su's option table): `-c`/`--command` is read apart, as `su -c` is. */
export const RUNUSER_OPTIONS: WrapperOptions = {
  value: ["-c", "-C", "-g", "-G", "-s", "-u", "-w", "--command", "--session-command", "--shell", "--group", "--supp-group", "--user", "--whitelist-environment"],
  long: [
    "--command", "--session-command", "--fast", "--login", "--preserve-environment", "--pty", "--no-pty", "--shell", "--group",
    "--supp-group", "--user", "--whitelist-environment", "--help", "--version",
  ],
};

/** systemd-run. */
export const SYSTEMD_RUN_OPTIONS: WrapperOptions = {
  value: [
    "-C", "-H", "-M", "-E", "-p", "-u",
    "--capsule", "--unit", "--description", "--slice", "--expand-environment", "--host", "--machine", "--service-type", "--uid",
    "--gid", "--nice", "--setenv", "--property", "--on-active", "--on-boot", "--on-startup", "--on-unit-active", "--on-unit-inactive",
    "--on-calendar", "--timer-property", "--path-property", "--socket-property", "--working-directory", "--root-directory",
    "--job-mode", "--background", "--json",
  ],
  long: [
    "--help", "--version", "--user", "--system", "--capsule", "--scope", "--unit", "--description", "--slice", "--slice-inherit",
    "--remain-after-exit", "--expand-environment", "--send-sighup", "--host", "--machine", "--service-type", "--wait", "--uid", "--gid",
    "--nice", "--setenv", "--property", "--tty", "--pty", "--pty-late", "--pipe", "--quiet", "--verbose", "--on-active", "--on-boot",
    "--on-startup", "--on-unit-active", "--on-unit-inactive", "--on-calendar", "--on-timezone-change", "--on-clock-change",
    "--timer-property", "--path-property", "--socket-property", "--no-block", "--no-ask-password", "--collect", "--working-directory",
    "--same-dir", "--root-directory", "--same-root-dir", "--shell", "--job-mode", "--ignore-failure", "--background", "--no-pager", "--json",
  ],
};

/** strace. */
export const STRACE_OPTIONS: WrapperOptions = {
  value: [
    "-a", "-b", "-e", "-E", "-I", "-o", "-O", "-p", "-P", "-s", "-S", "-u", "-U", "-X",
    "--columns", "--detach-on", "--env", "--interruptible", "--stack-trace-frame-limit", "--syscall-limit", "--output",
    "--summary-syscall-overhead", "--attach", "--trace-path", "--string-limit", "--summary-sort-by", "--user", "--summary-columns",
    "--const-print-style", "--argv0", "--trace", "--trace-fds", "--abbrev", "--verbose", "--raw", "--signals", "--status", "--read",
    "--write", "--fault", "--inject", "--kvm", "--decode-pids",
  ],
  long: [
    "--columns", "--output-append-mode", "--detach-on", "--summary-only", "--summary", "--debug", "--daemonize", "--daemonised",
    "--daemonized", "--env", "--follow-forks", "--output-separately", "--help", "--instruction-pointer", "--interruptible",
    "--kill-on-exit", "--stack-trace", "--stack-traces", "--stack-trace-frame-limit", "--syscall-limit", "--syscall-number", "--output",
    "--summary-syscall-overhead", "--attach", "--trace-path", "--relative-timestamps", "--string-limit", "--summary-sort-by",
    "--absolute-timestamps", "--timestamps", "--syscall-times", "--user", "--summary-columns", "--no-abbrev", "--version",
    "--summary-wall-clock", "--strings-in-hex", "--const-print-style", "--pidns-translation", "--successful-only", "--failed-only",
    "--failing-only", "--seccomp-bpf", "--tips", "--argv0", "--trace", "--trace-fds", "--abbrev", "--verbose", "--raw", "--signals",
    "--status", "--read", "--write", "--fault", "--inject", "--kvm", "--quiet", "--silent", "--silence", "--decode-fds", "--decode-pids",
    "--secontext",
  ],
};

/** util-linux chrt: the priority, then the command, follow its options. */
export const CHRT_OPTIONS: WrapperOptions = {
  value: ["-T", "-P", "-D", "-U", "-X", "--sched-runtime", "--sched-period", "--sched-deadline", "--clamp-min", "--clamp-max"],
  long: [
    "--all-tasks", "--batch", "--clamp-min", "--clamp-max", "--deadline", "--deadline-overrun", "--ext", "--fifo", "--idle", "--pid",
    "--help", "--max", "--other", "--rr", "--sched-runtime", "--sched-period", "--sched-deadline", "--reset-on-fork", "--reclaim-grub",
    "--verbose", "--version",
  ],
};

import type { Rule } from "./rules.js";

/**
 * The state of the running system: services, network links and power (see also `shutdown`,
 * `kill-all` and the credential rules in `rules.ts`).
 *
 * Levels: whatever cuts the way into the machine is critical, because a remote user cannot undo
 * it (stopping ssh or the network, taking the link down, removing the default route); stopping a
 * core service the system leans on is high (the machine stays reachable, but logins, logs,
 * containers or scheduled jobs stop); stopping any other service stays moderate (`systemctl-change`).
 */

const SERVICE_TOOLS = ["systemctl", "service", "rc-service", "sv", "launchctl", "initctl", "stop-service", "set-service", "net"];
/** sc.exe's verbs that stop a service or change how it starts (see the sc rules below). */
const SC_STOP = ["stop", "delete", "config"];
const STOP = ["stop", "disable", "mask", "kill", "unload", "bootout", "remove", "delete", "config", "-startuptype", "-status", "--now"];
const REMOTE_ACCESS = [
  "ssh", "sshd", "ssh.service", "sshd.service", "ssh.socket", "openssh", "openssh-server", "com.openssh.sshd", "dropbear",
  "networking", "networking.service", "network", "network.service", "networkmanager", "networkmanager.service",
  "systemd-networkd", "systemd-networkd.service", "systemd-resolved", "wpa_supplicant", "dhcpcd", "netplan", "tailscaled",
  "wg-quick", "xrdp", "winrm", "termservice", "sshd-keygen", "iwd",
];
const CORE_SERVICES = [
  "dbus", "dbus.service", "systemd-journald", "systemd-logind", "systemd-udevd", "systemd-timesyncd", "cron", "crond",
  "cron.service", "docker", "docker.service", "docker.socket", "containerd", "kubelet", "rsyslog", "syslog", "auditd",
  "polkit", "getty@tty1", "nginx", "apache2", "httpd", "postgresql", "mysql", "mysqld", "mariadb", "redis", "redis-server",
  "mongod", "eventlog", "wuauserv", "windefend", "mpssvc", "lanmanserver",
];

export const SYSTEM_STATE_RULES: readonly Rule[] = [
  { id: "stop-remote-access", commands: SERVICE_TOOLS, argSets: [STOP, REMOTE_ACCESS], risk: "critical", category: "system configuration", detail: "stops remote access or the network, which may lock everyone out" },
  { id: "stop-core-service", commands: SERVICE_TOOLS, argSets: [STOP, CORE_SERVICES], risk: "high", category: "system configuration", detail: "stops a core service of the system" },
  { id: "ps-stop-remote-access", commands: ["stop-service", "suspend-service", "remove-service"], args: REMOTE_ACCESS, risk: "critical", category: "system configuration", detail: "stops remote access or the network, which may lock everyone out" },
  { id: "ps-stop-core-service", commands: ["stop-service", "suspend-service", "remove-service"], args: CORE_SERVICES, risk: "high", category: "system configuration", detail: "stops a core service of the system" },
  { id: "kill-remote-access", commands: ["killall", "pkill"], args: REMOTE_ACCESS, risk: "critical", category: "system configuration", detail: "kills remote access or the network, which may lock everyone out" },
  { id: "init-script-stop", commands: ["sshd", "ssh", "networking", "network-manager", "network"], subcommand: ["stop", "disable"], risk: "critical", category: "system configuration", detail: "stops remote access or the network, which may lock everyone out" },
  // A pattern that matches every process name kills everything, ssh and the session included.
  { id: "pkill-everything", commands: ["pkill", "killall"], args: [".", ".*", "^", "*"], risk: "critical", category: "system destruction", detail: "kills every process" },
  { id: "ps-recycle-bin", commands: ["clear-recyclebin"], risk: "high", category: "data loss", detail: "empties the recycle bin for good" },
  // sc.exe (the name with `.exe` or `.com`; bare `sc` in PowerShell is Set-Content): changing a
  // service as Stop-Service, Set-Service and Remove-Service do, and creating one that may start at
  // boot as `systemctl enable` does. Its queries (`query`, `qc`, …) and `start` stay safe. Its verb
  // is its first operand (after `\\server`): a later word is a service's name or an option's value.
  { id: "sc-stop-remote-access", commands: ["sc"], subcommand: SC_STOP, args: REMOTE_ACCESS, risk: "critical", category: "system configuration", detail: "stops remote access or the network, which may lock everyone out" },
  { id: "sc-stop-core-service", commands: ["sc"], subcommand: SC_STOP, args: CORE_SERVICES, risk: "high", category: "system configuration", detail: "stops a core service of the system" },
  { id: "sc-change-service", commands: ["sc"], subcommand: ["stop", "pause", "delete", "config", "failure", "failureflag", "sidtype", "privs", "sdset", "control", "managedaccount", "triggerinfo"], risk: "moderate", category: "system configuration", detail: "stops or reconfigures a service" },
  { id: "sc-create-service", commands: ["sc"], subcommand: ["create"], risk: "high", category: "system configuration", detail: "creates a service that may start on its own at boot" },
  // New-Service installs a program Windows runs as LocalSystem unless told otherwise, as `sc.exe create` does.
  { id: "ps-new-service", commands: ["new-service"], risk: "high", category: "system configuration", detail: "creates a service that may start on its own at boot" },
  { id: "ps-restart-service", commands: ["restart-service"], risk: "moderate", category: "system configuration", detail: "restarts a service" },
  { id: "link-down", commands: ["ip"], argSets: [["link", "l", "li"], ["down"]], risk: "critical", category: "system configuration", detail: "takes a network link down, which may lock everyone out" },
  { id: "ifconfig-down", commands: ["ifconfig"], args: ["down"], risk: "critical", category: "system configuration", detail: "takes a network interface down, which may lock everyone out" },
  { id: "ifdown", commands: ["ifdown"], risk: "critical", category: "system configuration", detail: "takes a network interface down, which may lock everyone out" },
  { id: "nmcli-off", commands: ["nmcli"], argSets: [["networking", "radio", "n", "r"], ["off"]], risk: "critical", category: "system configuration", detail: "turns networking off, which may lock everyone out" },
  { id: "nmcli-down", commands: ["nmcli"], args: ["down", "delete"], risk: "high", category: "system configuration", detail: "takes a network connection down" },
  { id: "route-default-delete", commands: ["ip", "route"], argSets: [["del", "delete", "flush"], ["default", "0.0.0.0/0", "table", "all"]], risk: "critical", category: "system configuration", detail: "removes the default route, which may lock everyone out" },
  { id: "addr-flush", commands: ["ip"], argSets: [["addr", "address", "a"], ["flush"]], risk: "critical", category: "system configuration", detail: "removes the machine's network addresses" },
  { id: "ps-disable-adapter", commands: ["disable-netadapter", "remove-netipaddress", "remove-netroute"], risk: "critical", category: "system configuration", detail: "disables the network, which may lock everyone out" },
  { id: "launchctl-reboot", commands: ["launchctl"], argSets: [["reboot", "bootout"], ["system", "userspace", "halt", "logout"]], risk: "critical", category: "system configuration", detail: "restarts or stops the whole system" },
  { id: "windows-shutdown", commands: ["shutdown.exe"], args: ["/s", "/r", "/p", "/h", "-s", "-r", "-p"], risk: "critical", category: "system configuration", detail: "shuts down or restarts the machine" },
  // Volumes, pools and disk-level erasure: the whole file system goes at once.
  { id: "volume-remove", commands: ["lvremove", "vgremove", "pvremove", "blkdiscard", "sg_format"], risk: "critical", category: "system destruction", detail: "destroys a volume or disk and its data" },
  { id: "volume-destroy", commands: ["zpool", "zfs", "btrfs", "cryptsetup", "mdadm", "hdparm", "nvme"], argPattern: "^(destroy|delete|luksErase|erase|--zero-superblock|--security-erase(-enhanced)?|format|sanitize|labelclear)$", risk: "critical", category: "system destruction", detail: "destroys a volume, pool or disk and its data" },
  { id: "partition-delete", commands: ["sfdisk", "parted", "sgdisk", "gdisk"], argPattern: "^(--delete|rm|mklabel|-Z|--zap-all|-o|--clear|--wipe)$", risk: "critical", category: "system destruction", detail: "deletes partitions or the partition table" },
  { id: "shadow-copies", commands: ["vssadmin", "wmic", "wbadmin"], argSets: [["delete"], ["shadows", "shadowcopy", "catalog", "systemstatebackup", "backup"]], risk: "critical", category: "data loss", detail: "deletes the system's backups and restore points" },
  { id: "cipher-wipe", commands: ["cipher", "sdelete", "sdelete64"], argPattern: "^(/w:.*|-[a-z]*[cz][a-z]*)$", risk: "high", category: "data loss", detail: "wipes free space or files beyond recovery" },
  { id: "windows-acl-tree", commands: ["takeown", "icacls", "cacls"], argPattern: "^/[trTR]$", risk: "high", category: "system configuration", detail: "changes ownership or permissions of a whole tree" },
  { id: "taskkill-all", commands: ["taskkill"], args: ["csrss.exe", "wininit.exe", "winlogon.exe", "lsass.exe", "svchost.exe", "smss.exe"], risk: "critical", category: "system destruction", detail: "kills a process Windows cannot run without" },
  { id: "taskkill", commands: ["taskkill"], risk: "moderate", category: "system configuration", detail: "stops processes" },
];

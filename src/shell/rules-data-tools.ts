import type { Rule } from "./rules.js";
import type { StoreLanguage } from "./sql.js";

/**
 * Destructive operations of the tools that manage data and infrastructure: cluster managers,
 * infrastructure-as-code, cloud CLIs, repository hosts and package registries, database and
 * key-value tools, container runtimes and package managers. SQL and store commands passed to database clients are judged in `sql.ts`.
 *
 * Levels: removing a whole store, cluster, project, bucket, stack or machine with no undo is
 * critical (everything in it is lost at once); removing one resource or forcing a removal is high;
 * removing what can be recreated (images, stopped containers) is moderate.
 */

const KUBECTL = ["kubectl", "oc", "k", "microk8s.kubectl", "kubecolor"];
const CLUSTER_WIDE = ["namespace", "namespaces", "ns", "node", "nodes", "no", "pv", "persistentvolume", "persistentvolumes", "crd", "crds", "customresourcedefinition", "customresourcedefinitions", "clusterrole", "clusterrolebinding", "storageclass"];
const TERRAFORM = ["terraform", "tofu", "terragrunt", "terramate"];
const CONTAINERS = ["docker", "podman", "nerdctl", "finch"];
const SMALL_CLOUDS = ["doctl", "linode-cli", "hcloud", "vultr-cli", "scw", "exo", "ibmcloud", "oci", "aliyun", "civo", "upcloud"];
const DELETE_WORDS = ["delete", "destroy", "rm", "remove", "terminate", "purge", "erase"];
/** Whole stores and machines: their deletion loses everything in them. */
const WHOLE = ["instance", "instances", "cluster", "clusters", "project", "projects", "database", "databases", "db", "sql", "bucket", "buckets", "group", "vm", "vms", "droplet", "server", "servers", "volume", "volumes", "disk", "disks", "aks", "gke", "cosmosdb", "postgres", "mysql", "account", "keyvault", "container", "filesystem", "file-system", "snapshot", "snapshots", "table", "tables", "stack", "stacks"];
const AWS_CRITICAL = [
  "terminate-instances", "delete-db-instance", "delete-db-cluster", "delete-table", "delete-bucket", "delete-stack",
  "delete-cluster", "delete-file-system", "delete-volume", "delete-hosted-zone", "delete-repository", "schedule-key-deletion",
  "delete-global-table", "delete-replication-group", "delete-cache-cluster", "delete-domain", "delete-nodegroup", "delete-vpc",
];
/** `dotnet nuget delete --non-interactive`, `nuget delete -NonInteractive` (nuget.exe reads options in any case). */
/**
 * Gradle's publish tasks, named as Gradle matches a task: in full (`publish`, `publishToMavenCentral`,
 * `:lib:publish`) or cut short, each camel-case word to a prefix of it (`pub`, `publ`, `pubToMC`);
 * the first word needs at least `pub`, since `p` and `pu` start too many other tasks (`pR` is
 * processResources). A name ending in `ToMavenLocal`, in full or cut short (`pubTML`,
 * `publishToMavenL`), only publishes into this machine's own ~/.m2.
 */
const GRADLE_MAVEN_LOCAL = "T(o)?M(a(v(en?)?)?)?L(o(c(al?)?)?)?$";
const GRADLE_PUBLISH = `^(:?[\\w.-]+:)*:?(?!\\w*${GRADLE_MAVEN_LOCAL})(publish\\w*|pub(l(is?)?)?([A-Z]\\w*)?)$`;
/** Maven's options that take the next word (`-pl deploy` is a module, `-rf deploy` where to resume), not a goal. */
const MAVEN_VALUE_OPTIONS = ["-pl", "--projects", "-P", "--activate-profiles", "-rf", "--resume-from", "-f", "--file", "-s", "--settings", "-gs", "--global-settings", "-t", "--toolchains", "-gt", "--global-toolchains", "-l", "--log-file", "-T", "--threads", "-b", "--builder", "-D", "--define", "-emp", "--encrypt-master-password", "-ep", "--encrypt-password"];
/** Gradle's options that take the next word, not a task: `-x publish` excludes the task it names. */
const GRADLE_VALUE_OPTIONS = ["-x", "--exclude-task", "-p", "--project-dir", "-b", "--build-file", "-c", "--settings-file", "-g", "--gradle-user-home", "-I", "--init-script", "-D", "--system-prop", "-P", "--project-prop", "--include-build", "--console", "--warning-mode", "--max-workers", "--priority", "-F", "--dependency-verification", "-M", "--write-verification-metadata", "--project-cache-dir", "--update-locks"];
const NUGET_NO_PROMPT = ["--non-interactive", "-NonInteractive", "-noninteractive", "-nonInteractive"];
const NUGET_DELETE = "deletes a published package version from its feed (nuget.org unlists it), for everyone who depends on it";
const NUGET_DELETE_UNASKED = "deletes a published package version from its feed (nuget.org unlists it), for everyone who depends on it, without asking";
/** Repository hosts' command-line tools (GitHub, GitLab). */
const FORGES = ["gh", "glab"];
/** `gh api -X DELETE`, `--method DELETE`, `--method=DELETE` (the method is a word of its own or joined). */
const API_DELETE = ["delete", "-xdelete", "--method=delete"];
const APT = ["apt", "apt-get", "aptitude"];
/** Packages whose removal leaves the machine unable to boot, log in or install anything again. */
const ESSENTIAL_PACKAGES = [
  "libc6", "glibc", "libc-bin", "systemd", "systemd-sysv", "init", "sudo", "openssh-server", "coreutils", "bash", "dpkg",
  "apt", "rpm", "yum", "dnf", "pacman", "login", "passwd", "util-linux", "base-files", "base-passwd", "grub-pc", "grub2",
  "grub-efi-amd64", "linux-base", "kernel", "kernel-core", "python3", "libpam-modules", "libpam0g", "network-manager", "netplan.io",
];

export const DATA_TOOL_RULES: readonly Rule[] = [
  // cluster managers
  { id: "kubectl-delete-cluster-wide", commands: KUBECTL, subcommand: ["delete"], args: CLUSTER_WIDE, risk: "critical", category: "data loss", detail: "deletes a namespace, node or cluster-wide resource with everything in it" },
  { id: "kubectl-delete-cluster-wide-slash", commands: KUBECTL, subcommand: ["delete"], argPattern: "^(namespaces?|ns|nodes?|no|pv|persistentvolumes?|crds?)/", risk: "critical", category: "data loss", detail: "deletes a namespace, node or cluster-wide resource with everything in it" },
  { id: "kubectl-delete-all", commands: KUBECTL, subcommand: ["delete"], flags: ["--all", "-A", "--all-namespaces"], risk: "critical", category: "data loss", detail: "deletes every resource of a kind" },
  { id: "kubectl-delete", commands: KUBECTL, subcommand: ["delete"], noFlags: ["--dry-run"], risk: "high", category: "data loss", detail: "deletes cluster resources" },
  { id: "kubectl-drain", commands: KUBECTL, subcommand: ["drain", "replace"], risk: "high", category: "system configuration", detail: "evicts workloads or replaces resources in the cluster" },
  { id: "kubectl-change", commands: KUBECTL, subcommand: ["cordon", "scale", "patch", "apply", "edit", "set", "taint"], noFlags: ["--dry-run"], risk: "moderate", category: "system configuration", detail: "changes resources in the cluster" },
  { id: "kubectl-rollout", commands: KUBECTL, argSets: [["rollout"], ["undo", "restart", "pause"]], risk: "moderate", category: "system configuration", detail: "restarts or rolls back a workload" },
  { id: "helm-uninstall", commands: ["helm"], subcommand: ["uninstall", "delete", "del", "un"], risk: "high", category: "data loss", detail: "uninstalls a release and its resources" },
  { id: "helm-change", commands: ["helm"], subcommand: ["rollback", "upgrade", "install"], risk: "moderate", category: "system configuration", detail: "changes a release in the cluster" },
  { id: "cluster-delete", commands: ["eksctl", "k3d", "kind", "minikube", "talosctl", "kops"], args: ["delete", "reset"], risk: "high", category: "data loss", detail: "deletes a cluster" },
  { id: "eksctl-delete-cluster", commands: ["eksctl", "kops"], argSets: [["delete"], ["cluster"]], risk: "critical", category: "data loss", detail: "deletes a cloud cluster" },
  { id: "swarm-remove", commands: CONTAINERS, argSets: [["service", "stack", "node", "swarm", "secret", "config"], ["rm", "remove", "leave"]], risk: "high", category: "data loss", detail: "removes services of the swarm" },
  { id: "nomad-stop", commands: ["nomad"], argSets: [["stop", "purge", "gc"]], risk: "high", category: "data loss", detail: "stops or purges jobs" },

  // infrastructure as code
  { id: "terraform-destroy", commands: TERRAFORM, subcommand: ["destroy"], risk: "critical", category: "data loss", detail: "destroys every resource the configuration manages" },
  { id: "terraform-apply-destroy", commands: TERRAFORM, subcommand: ["apply"], flags: ["-destroy", "--destroy"], risk: "critical", category: "data loss", detail: "destroys every resource the configuration manages" },
  { id: "terraform-apply-auto", commands: TERRAFORM, subcommand: ["apply"], flags: ["-auto-approve", "--auto-approve"], noFlags: ["-destroy", "--destroy"], risk: "high", category: "system configuration", detail: "changes infrastructure without showing the plan first" },
  { id: "terraform-apply", commands: TERRAFORM, subcommand: ["apply", "import", "taint", "untaint", "force-unlock"], risk: "moderate", category: "system configuration", detail: "changes infrastructure" },
  { id: "terraform-state", commands: TERRAFORM, argSets: [["state", "workspace"], ["rm", "delete", "push", "replace-provider"]], risk: "high", category: "data loss", detail: "removes or overwrites infrastructure state" },
  { id: "pulumi-destroy", commands: ["pulumi", "cdk", "cdktf", "serverless", "sls", "sst", "copilot"], subcommand: ["destroy", "remove"], risk: "critical", category: "data loss", detail: "destroys every resource of the stack" },
  { id: "pulumi-stack-rm", commands: ["pulumi"], argSets: [["stack", "state"], ["rm", "delete"]], risk: "high", category: "data loss", detail: "removes a stack or its state" },
  { id: "pulumi-up-yes", commands: ["pulumi"], subcommand: ["up", "update"], flags: ["--yes", "-y", "-f"], risk: "high", category: "system configuration", detail: "changes infrastructure without showing the plan first" },

  // cloud provider CLIs
  { id: "aws-s3-rb", commands: ["aws"], argSets: [["s3"], ["rb"]], risk: "critical", category: "data loss", detail: "deletes a storage bucket" },
  { id: "aws-s3-rm-recursive", commands: ["aws"], argSets: [["s3"], ["rm"]], flags: ["--recursive"], risk: "critical", category: "data loss", detail: "deletes every object under a storage prefix" },
  { id: "aws-s3-rm", commands: ["aws"], argSets: [["s3"], ["rm"]], risk: "high", category: "data loss", detail: "deletes stored objects" },
  { id: "aws-s3-sync-delete", commands: ["aws"], argSets: [["s3"], ["sync"]], flags: ["--delete"], risk: "high", category: "data loss", detail: "deletes objects missing from the source" },
  { id: "aws-critical", commands: ["aws"], args: AWS_CRITICAL, risk: "critical", category: "data loss", detail: "deletes a whole database, machine, bucket or stack" },
  { id: "aws-delete", commands: ["aws"], argPattern: "^(delete|terminate|remove|deregister|purge|destroy|detach|disable|revoke)-", risk: "high", category: "data loss", detail: "deletes or detaches cloud resources" },
  { id: "aws-iam-admin", commands: ["aws"], argSets: [["iam"], ["attach-user-policy", "attach-role-policy", "attach-group-policy", "put-user-policy", "put-role-policy", "create-access-key", "update-assume-role-policy", "create-login-profile", "update-login-profile"]], risk: "high", category: "privilege escalation", detail: "grants cloud permissions or credentials" },
  { id: "gcloud-delete-whole", commands: ["gcloud"], argSets: [DELETE_WORDS, WHOLE], risk: "critical", category: "data loss", detail: "deletes a whole cloud project, machine, database, cluster or bucket" },
  { id: "gcloud-storage-rm-recursive", commands: ["gcloud", "gsutil"], args: ["rm"], flags: ["-r", "-R", "--recursive", "-a"], risk: "critical", category: "data loss", detail: "deletes every object under a storage path" },
  { id: "gsutil-rb", commands: ["gsutil"], args: ["rb"], risk: "critical", category: "data loss", detail: "deletes a storage bucket" },
  { id: "gcloud-delete", commands: ["gcloud", "gsutil"], args: DELETE_WORDS, risk: "high", category: "data loss", detail: "deletes cloud resources" },
  { id: "gcloud-iam", commands: ["gcloud"], args: ["add-iam-policy-binding", "set-iam-policy"], argPattern: "^(--role=)?roles/(owner|editor|iam\\.)", risk: "high", category: "privilege escalation", detail: "grants owner or IAM rights on cloud resources" },
  { id: "az-delete-whole", commands: ["az"], argSets: [["delete", "delete-batch", "purge"], WHOLE], risk: "critical", category: "data loss", detail: "deletes a whole resource group, machine, database or storage account" },
  { id: "az-delete", commands: ["az"], argPattern: "^(delete|delete-batch|purge|remove)$", risk: "high", category: "data loss", detail: "deletes cloud resources" },
  { id: "az-role", commands: ["az"], argSets: [["role"], ["assignment"], ["create"]], args: ["owner", "contributor", "user access administrator"], risk: "high", category: "privilege escalation", detail: "grants owner rights on cloud resources" },
  { id: "small-cloud-delete", commands: SMALL_CLOUDS, args: DELETE_WORDS, risk: "high", category: "data loss", detail: "deletes cloud resources" },
  { id: "small-cloud-delete-whole", commands: SMALL_CLOUDS, argSets: [DELETE_WORDS, WHOLE], risk: "critical", category: "data loss", detail: "deletes a whole cloud machine, database or cluster" },
  { id: "paas-destroy", commands: ["heroku", "fly", "flyctl", "railway", "render", "netlify", "vercel", "firebase"], argPattern: "^(apps:destroy|pg:reset|destroy|projects:delete|firestore:delete|database:remove|sites:delete)$", risk: "critical", category: "data loss", detail: "destroys an application or its database" },
  { id: "paas-remove", commands: ["heroku", "fly", "flyctl", "railway", "render", "netlify", "vercel", "firebase"], args: ["remove", "rm", "delete", "apps:delete", "addons:destroy"], risk: "high", category: "data loss", detail: "deletes a deployment or add-on" },
  { id: "object-store-remove-all", commands: ["mc", "s3cmd", "rclone", "azcopy", "b2"], argPattern: "^(rb|purge|del|rm|remove|delete|delete-bucket)$", flags: ["--recursive", "-r", "--force", "-f"], risk: "critical", category: "data loss", detail: "deletes a bucket or everything under a storage path" },
  { id: "rclone-purge", commands: ["rclone", "s3cmd", "mc"], args: ["purge", "rb"], risk: "critical", category: "data loss", detail: "deletes a bucket or a path with all its contents" },
  { id: "object-store-remove", commands: ["mc", "s3cmd", "rclone", "azcopy", "b2"], args: ["rm", "del", "delete", "remove", "deletefile", "sync", "delete-file-version"], risk: "high", category: "data loss", detail: "deletes stored objects" },

  // repository hosts and package registries: what others clone, download or depend on
  { id: "forge-repo-delete-unasked", commands: FORGES, subcommand: ["repo"], action: ["delete"], flags: ["--yes", "-y"], risk: "critical", category: "data loss", detail: "deletes a whole repository on the server, with its issues, releases and wiki, without asking" },
  { id: "forge-repo-delete", commands: FORGES, subcommand: ["repo"], action: ["delete"], noFlags: ["--yes", "-y"], risk: "high", category: "data loss", detail: "deletes a whole repository on the server, with its issues, releases and wiki" },
  { id: "forge-api-delete-repo", commands: FORGES, subcommand: ["api"], args: API_DELETE, argPattern: "^/?(repos/[^/]+/[^/]+|projects/[^/]+)/?$", risk: "critical", category: "data loss", detail: "deletes a whole repository on the server through its API" },
  { id: "forge-api-delete", commands: FORGES, subcommand: ["api"], args: API_DELETE, risk: "high", category: "data loss", detail: "deletes something on the repository server through its API" },
  { id: "forge-repo-archive", commands: FORGES, subcommand: ["repo"], action: ["archive"], risk: "high", category: "data loss", detail: "archives a repository: it becomes read-only for everyone" },
  { id: "forge-delete", commands: FORGES, noSubcommand: ["repo", "api"], action: ["delete", "delete-asset"], risk: "high", category: "data loss", detail: "deletes a release, issue, secret or other item on the repository server for good" },
  { id: "forge-repo-key-delete", commands: FORGES, subcommand: ["repo"], action: ["deploy-key", "autolink"], args: ["delete"], risk: "high", category: "data loss", detail: "deletes a deploy key or autolink of the repository" },
  { id: "registry-unpublish", commands: ["npm", "pnpm", "bun"], subcommand: ["unpublish"], noFlags: ["--dry-run"], risk: "high", category: "data loss", detail: "removes a published package from the registry: whoever depends on it can no longer install it" },
  // `dotnet nuget delete` and `nuget delete` ask first unless told not to; on nuget.org they unlist the version.
  { id: "nuget-delete-unasked", commands: ["dotnet"], subcommand: ["nuget"], action: ["delete"], flags: NUGET_NO_PROMPT, risk: "critical", category: "data loss", detail: NUGET_DELETE_UNASKED },
  { id: "nuget-exe-delete-unasked", commands: ["nuget"], subcommand: ["delete"], flags: NUGET_NO_PROMPT, risk: "critical", category: "data loss", detail: NUGET_DELETE_UNASKED },
  { id: "nuget-delete", commands: ["dotnet"], subcommand: ["nuget"], action: ["delete"], noFlags: NUGET_NO_PROMPT, risk: "high", category: "data loss", detail: NUGET_DELETE },
  { id: "nuget-exe-delete", commands: ["nuget"], subcommand: ["delete"], noFlags: NUGET_NO_PROMPT, risk: "high", category: "data loss", detail: NUGET_DELETE },
  { id: "gem-yank", commands: ["gem"], subcommand: ["yank"], risk: "high", category: "data loss", detail: "removes a published gem version from the registry: whoever depends on it can no longer install it" },
  { id: "cargo-yank", commands: ["cargo"], subcommand: ["yank"], noFlags: ["--undo"], risk: "moderate", category: "data loss", detail: "yanks a published crate version: new projects can no longer depend on it" },

  // Publishing sends the user's code out to whoever downloads it, and cannot be taken back (what was
  // downloaded stays downloaded): never safe, though it is often what the user asked for, so moderate.
  // Trial runs (`--dry-run`) and drafts send nothing out.
  { id: "publish-package", commands: ["npm", "pnpm", "bun", "yarn", "cargo", "poetry", "uv", "flit", "hatch", "pdm", "deno", "vsce", "ovsx"], subcommand: ["publish"], noFlags: ["--dry-run"], risk: "moderate", category: "network exposure", detail: "publishes a package to its registry, for whoever downloads it; it cannot be taken back" },
  { id: "publish-package-action", commands: ["yarn", "dotnet"], subcommand: ["npm", "nuget"], action: ["publish", "push"], noFlags: ["--dry-run"], risk: "moderate", category: "network exposure", detail: "publishes a package to its registry, for whoever downloads it; it cannot be taken back" },
  { id: "publish-dart", commands: ["dart", "flutter"], subcommand: ["pub"], action: ["publish", "lish"], noFlags: ["--dry-run", "-n"], risk: "moderate", category: "network exposure", detail: "publishes a package to its registry, for whoever downloads it; it cannot be taken back" },
  { id: "publish-upload", commands: ["twine", "gem", "nuget", "mix"], subcommand: ["upload", "push", "hex.publish"], noFlags: ["--dry-run"], risk: "moderate", category: "network exposure", detail: "publishes a package to its registry, for whoever downloads it; it cannot be taken back" },
  // Maven's deploy phase (and the plugin goals that deploy) uploads the build to the project's remote
  // repository; -Dmaven.deploy.skip=true skips it. Gradle's publish tasks do the same, except those
  // that only publish into this machine's own ~/.m2 (publishToMavenLocal), also when the task's name
  // is cut short (GRADLE_PUBLISH); --dry-run (-m) runs no task. Only goals and tasks count, not the
  // words options take: `-pl deploy` is a module, `-x publish` excludes the task.
  { id: "publish-maven", commands: ["mvn", "mvnw", "mvnw.cmd", "mvnd"], operandPattern: "^(deploy|deploy:[\\w-]+|release:perform)$", valueOptions: MAVEN_VALUE_OPTIONS, noArgPattern: "^-Dmaven\\.deploy\\.skip(=true)?$", risk: "moderate", category: "network exposure", detail: "deploys the build to a remote Maven repository, for whoever downloads it; it cannot be taken back" },
  { id: "publish-gradle", commands: ["gradle", "gradlew", "gradlew.bat"], operandPattern: GRADLE_PUBLISH, valueOptions: GRADLE_VALUE_OPTIONS, noArgPattern: "^(--dry-run|-m)$", risk: "moderate", category: "network exposure", detail: "publishes the build to a remote repository, for whoever downloads it; it cannot be taken back" },
  { id: "publish-twine-module", commands: ["python", "python3"], argSets: [["-m"], ["twine"], ["upload"]], risk: "moderate", category: "network exposure", detail: "publishes a package to its registry, for whoever downloads it; it cannot be taken back" },
  { id: "push-image", commands: [...CONTAINERS, "helm", "crane", "oras"], subcommand: ["push"], risk: "moderate", category: "network exposure", detail: "pushes an image or chart to a registry" },
  { id: "push-image-action", commands: CONTAINERS, subcommand: ["image", "manifest"], action: ["push"], risk: "moderate", category: "network exposure", detail: "pushes an image to a registry" },
  { id: "build-push-image", commands: CONTAINERS, subcommand: ["build", "buildx"], flags: ["--push"], risk: "moderate", category: "network exposure", detail: "pushes the image it builds to a registry" },
  { id: "forge-release-create", commands: FORGES, subcommand: ["release"], action: ["create", "upload"], noFlags: ["--draft", "-d"], risk: "moderate", category: "network exposure", detail: "publishes a release on the repository host" },
  { id: "forge-repo-public", commands: FORGES, subcommand: ["repo"], action: ["create", "new"], flags: ["--public"], risk: "moderate", category: "network exposure", detail: "creates a public repository: what is pushed to it is out for everyone" },
  { id: "forge-repo-make-public", commands: FORGES, subcommand: ["repo"], action: ["edit"], flags: ["--visibility"], argPattern: "^(--visibility=)?public$", risk: "moderate", category: "network exposure", detail: "makes a repository public: its code and history are out for everyone" },

  // database and key-value tools (statements inside client arguments are read in sql.ts)
  { id: "mysqladmin-drop", commands: ["mysqladmin", "mariadb-admin"], args: ["drop"], risk: "critical", category: "data loss", detail: "drops a whole database" },
  { id: "mysqladmin-shutdown", commands: ["mysqladmin", "mariadb-admin", "pg_ctl", "pg_ctlcluster", "redis-server", "mongod"], args: ["shutdown", "stop", "--shutdown"], risk: "high", category: "system configuration", detail: "stops a database server" },
  { id: "pg-dropcluster", commands: ["pg_dropcluster"], risk: "critical", category: "data loss", detail: "deletes a PostgreSQL cluster and its data" },
  { id: "etcd-delete-all", commands: ["etcdctl"], argSets: [["del", "delete"]], flags: ["--prefix", "--from-key"], risk: "critical", category: "data loss", detail: "deletes every key under a prefix" },
  { id: "etcd-delete", commands: ["etcdctl", "consul", "vault", "zkcli", "zkCli.sh"], args: ["del", "delete", "rmr", "deleteall", "destroy", "disable"], risk: "high", category: "data loss", detail: "deletes keys or secrets" },
  { id: "consul-recurse", commands: ["consul"], argSets: [["delete"]], flags: ["-recurse"], risk: "critical", category: "data loss", detail: "deletes every key under a prefix" },
  { id: "influx-delete", commands: ["influx", "cqlsh", "cockroach"], args: ["delete", "drop"], risk: "high", category: "data loss", detail: "deletes stored data" },

  // container runtimes
  { id: "docker-prune", commands: CONTAINERS, args: ["prune"], risk: "high", category: "data loss", detail: "removes every stopped container, unused image, network or volume" },
  { id: "docker-volume-prune", commands: CONTAINERS, args: ["--volumes"], risk: "high", category: "data loss", detail: "removes data volumes" },
  // Docker's subcommand (`docker rm`, `docker container rm`), never a word of a command run in a container (`docker run alpine rm x`).
  { id: "docker-force-remove", commands: CONTAINERS, subcommand: ["rm", "rmi"], flags: ["-f", "--force"], risk: "high", category: "data loss", detail: "force-removes running containers or images in use" },
  { id: "docker-force-remove-object", commands: CONTAINERS, subcommand: ["container", "image", "pod"], action: ["rm", "remove"], flags: ["-f", "--force"], risk: "high", category: "data loss", detail: "force-removes running containers or images in use" },
  { id: "compose-force-remove", commands: CONTAINERS, subcommand: ["compose"], args: ["rm"], flags: ["-f", "--force"], risk: "high", category: "data loss", detail: "force-removes running containers or images in use" },
  { id: "docker-volume-rm", commands: CONTAINERS, argSets: [["volume"], ["rm", "remove"]], risk: "high", category: "data loss", detail: "removes data volumes" },
  { id: "docker-remove", commands: [...CONTAINERS, "crictl"], subcommand: ["rm", "rmi", "kill", "stop"], risk: "moderate", category: "data loss", detail: "stops or removes containers or images" },
  { id: "docker-remove-object", commands: CONTAINERS, subcommand: ["container", "image", "pod", "network"], action: ["rm", "remove", "kill", "stop"], risk: "moderate", category: "data loss", detail: "stops or removes containers or images" },
  { id: "compose-remove", commands: CONTAINERS, subcommand: ["compose"], args: ["rm", "kill", "stop"], risk: "moderate", category: "data loss", detail: "stops or removes containers or images" },
  { id: "compose-down-volumes", commands: [...CONTAINERS, "docker-compose", "podman-compose"], args: ["down"], flags: ["-v", "--volumes", "--rmi"], risk: "high", category: "data loss", detail: "removes the project's containers with their volumes" },

  // package managers removing or purging packages
  { id: "package-remove-essential", commands: [...APT, "dpkg", "yum", "dnf", "zypper", "pacman", "apk", "rpm", "emerge"], args: ESSENTIAL_PACKAGES, argPattern: "^(remove|purge|autoremove|erase|del|rm|uninstall|-[A-Za-z]*[RPe][A-Za-z]*|--remove|--purge|--erase|-C|--unmerge)$", risk: "critical", category: "system destruction", detail: "removes a package the system needs to boot, log in or install packages" },
  { id: "package-remove-kernel", commands: [...APT, "dpkg", "yum", "dnf", "zypper", "pacman", "rpm"], argPrefixes: ["linux-image", "kernel-", "linux-generic", "linux-headers"], args: ["remove", "purge", "erase", "-r", "-e", "-R", "--purge", "-P"], risk: "critical", category: "system destruction", detail: "removes the kernel" },
  { id: "package-remove", commands: [...APT, "yum", "dnf", "zypper", "apk", "snap", "flatpak", "port", "choco", "winget", "scoop"], subcommand: ["remove", "purge", "autoremove", "erase", "del", "rm", "uninstall", "autopurge"], risk: "high", category: "system configuration", detail: "removes system packages" },
  { id: "package-remove-flags", commands: ["pacman", "dpkg", "rpm", "emerge"], argPattern: "^(-R[a-zA-Z]*|-r|-P|-e|--remove|--purge|--erase|-C|--unmerge|--depclean)$", risk: "high", category: "system configuration", detail: "removes system packages" },
  { id: "package-uninstall-user", commands: ["pip", "pip3", "pipx", "brew", "gem", "cargo", "conda", "mamba", "npm", "pnpm", "yarn"], args: ["uninstall", "remove", "rm", "un", "r"], risk: "moderate", category: "system configuration", detail: "uninstalls packages" },
];

/** How a database or key-value client takes statements. */
export interface DatabaseClient {
  language: StoreLanguage;
  /** Options whose value is code (`-c SQL`, `--command=SQL`). */
  codeOptions: readonly string[];
  /** Operands from this index on are the code (`sqlite3 app.db "DROP TABLE t"`: 1; `redis-cli FLUSHALL`: 0). */
  codeOperandsFrom?: number;
  /** Options that take a value, so it is not taken for an operand. */
  valueOptions?: readonly string[];
}

const MYSQL: DatabaseClient = { language: "sql", codeOptions: ["-e", "--execute"], valueOptions: ["-h", "-u", "-P", "-D", "-S", "--host", "--user", "--port", "--database", "--socket", "--defaults-file"] };
const REDIS: DatabaseClient = { language: "redis", codeOptions: [], codeOperandsFrom: 0, valueOptions: ["-h", "-p", "-a", "-n", "-u", "-s", "-r", "-i", "-d", "--user", "--pass", "--tls-cert", "--cacert"] };
const MONGO: DatabaseClient = { language: "mongo", codeOptions: ["--eval"], valueOptions: ["--host", "--port", "-u", "-p", "--username", "--password", "--authenticationDatabase"] };

/** Database and key-value clients, by command name. */
export const DATABASE_CLIENTS: Readonly<Record<string, DatabaseClient>> = {
  psql: { language: "sql", codeOptions: ["-c", "--command"], valueOptions: ["-h", "-p", "-U", "-d", "-f", "-v", "-o", "-P", "-T", "-L", "--host", "--port", "--username", "--dbname", "--file", "--set", "--variable"] },
  mysql: MYSQL,
  mariadb: MYSQL,
  sqlite3: { language: "sql", codeOptions: ["-cmd"], codeOperandsFrom: 1, valueOptions: ["-separator", "-newline", "-nullvalue"] },
  duckdb: { language: "sql", codeOptions: ["-c", "-cmd", "-s"], codeOperandsFrom: 1 },
  "clickhouse-client": { language: "sql", codeOptions: ["-q", "--query"], valueOptions: ["-h", "--host", "--port", "-u", "--user", "--password", "-d", "--database"] },
  cqlsh: { language: "sql", codeOptions: ["-e", "--execute"], valueOptions: ["-u", "-p", "-k", "--keyspace"] },
  sqlcmd: { language: "sql", codeOptions: ["-Q", "-q"], valueOptions: ["-S", "-U", "-P", "-d", "-i", "-o"] },
  "invoke-sqlcmd": { language: "sql", codeOptions: ["-query"], valueOptions: ["-serverinstance", "-database", "-username", "-password"] },
  snowsql: { language: "sql", codeOptions: ["-q", "--query"], valueOptions: ["-a", "-u", "-d", "-s", "-w", "-r"] },
  usql: { language: "sql", codeOptions: ["-c", "--command"] },
  bq: { language: "sql", codeOptions: [], codeOperandsFrom: 1, valueOptions: ["--project_id", "--location", "--format"] },
  mongo: MONGO,
  mongosh: MONGO,
  "redis-cli": REDIS,
  "valkey-cli": REDIS,
  "keydb-cli": REDIS,
};

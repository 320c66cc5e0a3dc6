import { execFile, spawnSync } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { DockerfileParser, type Instruction } from "dockerfile-ast";
import { ConfigMap } from "kubernetes-models/v1/ConfigMap";
import { Service } from "kubernetes-models/v1/Service";
import { Deployment } from "kubernetes-models/apps/v1/Deployment";
import { parse as parseToml } from "smol-toml";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseAllDocuments } from "yaml";
import { runCli } from "../helpers/cli.js";
import { projectRoot } from "../helpers/shared-models.js";

/** `systemd-analyze` is on Linux machines with systemd; elsewhere its one check is skipped, and says so. */
const systemdAnalyze = spawnSync("systemd-analyze", ["--version"]).status === 0;
const deploy = (name: string) => path.join(projectRoot, "deploy", name);
let home: string;

beforeAll(async () => {
  home = await mkdtemp(path.join(os.tmpdir(), "wren-deploy-"));
});
afterAll(async () => {
  await rm(home, { recursive: true, force: true });
});

/** `wren config validate` on this TOML text, in a file of its own. */
async function validate(name: string, toml: string) {
  const file = path.join(home, name);
  await writeFile(file, toml);
  return runCli(["config", "validate", file], { env: { WREN_HOME: home } });
}

const serverPort = (toml: string) => (parseToml(toml) as { server?: { port?: number } }).server?.port;

describe("deploy/kubernetes.yaml", () => {
  const models = { ConfigMap, Deployment, Service } as const;

  async function documents(): Promise<Array<Record<string, unknown>>> {
    const docs = parseAllDocuments(await readFile(deploy("kubernetes.yaml"), "utf8"));
    return docs.map((d) => {
      expect(d.errors).toEqual([]);
      return d.toJSON() as Record<string, unknown>;
    });
  }

  it("is valid against the Kubernetes API's schemas (which do catch a wrong type)", async () => {
    const docs = await documents();
    expect(docs.map((d) => d["kind"])).toEqual(["ConfigMap", "Deployment", "Service"]);
    for (const doc of docs) {
      const Model = models[doc["kind"] as keyof typeof models];
      expect(() => new Model(doc as never).validate(), String(doc["kind"])).not.toThrow();
    }
    const deployment = structuredClone(docs[1]!) as { spec: { template: { spec: { containers: Array<{ ports: Array<{ containerPort: unknown }> }> } } } };
    deployment.spec.template.spec.containers[0]!.ports[0]!.containerPort = "11435";
    expect(() => new Deployment(deployment as never).validate()).toThrow(/containerPort must be integer/);
  });

  it("runs several non-root wren replicas behind the Service, probed on wren's health endpoints, keys from a Secret, and a config wren accepts", async () => {
    const [configMap, deployment, service] = (await documents()) as unknown as [ConfigMap, Deployment, Service];
    const spec = deployment.spec!;
    expect(spec.replicas).toBeGreaterThanOrEqual(2);
    const pod = spec.template.spec!;
    const labels = spec.template.metadata!.labels!;
    expect(service.spec!.selector).toEqual(expect.objectContaining(labels));
    expect(spec.selector.matchLabels).toEqual(labels);
    const container = pod.containers.find((c) => c.name === "wren")!;
    const port = container.ports!.find((p) => p.name === service.spec!.ports![0]!.targetPort)!;
    expect(port).toBeDefined();
    expect(container.readinessProbe?.httpGet).toMatchObject({ path: "/ready", port: port.name });
    expect(container.livenessProbe?.httpGet).toMatchObject({ path: "/health", port: port.name });
    expect(pod.securityContext?.runAsNonRoot).toBe(true);
    expect(pod.securityContext?.runAsUser).not.toBe(0);
    for (const variable of container.env ?? []) {
      // Keys come from the Secret, never written into the manifest.
      expect(variable.value, variable.name).toBeUndefined();
      expect(variable.valueFrom?.secretKeyRef?.name, variable.name).toBe("wren-keys");
    }
    expect(container.env?.map((e) => e.name)).toContain("WREN_SERVER_API_KEY");
    // The ConfigMap is mounted as wren's own config file ($WREN_HOME/config.toml): a wren.toml in the
    // server's folder would be a project file, which may not open the server nor choose its providers' servers.
    const mount = container.volumeMounts!.find((m) => pod.volumes!.find((v) => v.name === m.name)?.configMap?.name === configMap.metadata!.name)!;
    expect(mount).toMatchObject({ mountPath: "/var/lib/wren/config.toml", subPath: "wren.toml" });
    const toml = configMap.data!["wren.toml"]!;
    expect(serverPort(toml)).toBe(port.containerPort);
    expect(await validate("configmap.toml", toml)).toMatchObject({ code: 0, stdout: "ok\n" });
  });
});

describe("deploy/Containerfile", () => {
  const args = (i: Instruction) => i.getArguments().map((a) => a.getValue());

  it("pins its base images, runs wren serve as a non-root user with a health check, and exposes the port of its config, which wren accepts", async () => {
    const file = DockerfileParser.parse(await readFile(deploy("Containerfile"), "utf8"));
    const froms = file.getFROMs();
    expect(froms.length).toBeGreaterThan(0);
    for (const from of froms) {
      const pinned = from.getImageDigest() !== null || /^\d+\.\d+\.\d+(-[\w.-]+)?$/.test(from.getImageTag() ?? "");
      expect(pinned, `${from.getImageName()}:${from.getImageTag()} is pinned to an exact release or digest`).toBe(true);
    }
    const final = file.getInstructions().filter((i) => i.getRange().start.line > froms.at(-1)!.getRange().start.line);
    const last = (keyword: string) => final.filter((i) => i.getKeyword() === keyword).at(-1);

    const user = args(last("USER")!)[0]!.split(":")[0]!;
    expect(["root", "0", ""]).not.toContain(user);

    const config = await readFile(deploy("wren.toml"), "utf8");
    expect(args(last("EXPOSE")!)).toEqual([String(serverPort(config))]);
    expect(last("WORKDIR") && args(last("WORKDIR")!)).toEqual(["/srv/wren"]);
    // wren's own config file under WREN_HOME, not a project file in the server's folder.
    expect(final.some((i) => i.getKeyword() === "ENV" && i.getArgumentsContent()?.includes("WREN_HOME=/var/lib/wren"))).toBe(true);
    expect(final.some((i) => i.getKeyword() === "COPY" && args(i).join(" ") === "deploy/wren.toml /var/lib/wren/config.toml")).toBe(true);

    const healthcheck = last("HEALTHCHECK")!;
    expect(healthcheck.getArgumentsContent()).toContain(`http://127.0.0.1:${serverPort(config)}/health`);
    expect(JSON.parse(last("ENTRYPOINT")!.getArgumentsContent()!)).toEqual(["wren"]);
    expect(JSON.parse(last("CMD")!.getArgumentsContent()!)).toEqual(["serve"]);

    expect(await validate("image.toml", config)).toMatchObject({ code: 0, stdout: "ok\n" });
  });
});

describe("deploy/wren.service", () => {
  /** The unit's settings as systemd reads them: `[Section]` then `Key=Value` lines, `#` comments. */
  function readUnit(text: string): Map<string, string[]> {
    const out = new Map<string, string[]>();
    let section = "";
    for (const raw of text.split("\n")) {
      const line = raw.trim();
      if (!line || line.startsWith("#") || line.startsWith(";")) continue;
      if (line.startsWith("[")) {
        section = line.slice(1, -1);
        continue;
      }
      const eq = line.indexOf("=");
      const key = `${section}.${line.slice(0, eq)}`;
      out.set(key, [...(out.get(key) ?? []), line.slice(eq + 1)]);
    }
    return out;
  }

  it("runs wren serve as a dedicated user, restarts on failure, and is hardened", async () => {
    const unit = readUnit(await readFile(deploy("wren.service"), "utf8"));
    const one = (key: string) => unit.get(key)?.at(-1);
    expect(one("Service.ExecStart")).toMatch(/(^|[\s/])wren serve$/);
    expect(["on-failure", "always"]).toContain(one("Service.Restart"));
    expect(one("Service.User")).toBe("wren");
    expect(one("Service.DynamicUser")).toBeUndefined();
    expect(one("Service.NoNewPrivileges")).toBe("yes");
    expect(one("Service.ProtectSystem")).toBe("strict");
    expect(one("Service.ProtectHome")).toBe("yes");
    expect(one("Service.PrivateTmp")).toBe("yes");
    expect(one("Service.CapabilityBoundingSet")).toBe("");
    expect(one("Install.WantedBy")).toBe("multi-user.target");
  });

  it.skipIf(!systemdAnalyze)(
    `passes systemd-analyze verify${systemdAnalyze ? "" : " (skipped: systemd-analyze is not installed on this machine)"}`,
    async () => {
      const result = await promisify(execFile)("systemd-analyze", ["verify", deploy("wren.service")]).then(
        ({ stderr }) => ({ code: 0, stderr }),
        (error: { code?: number; stderr?: string }) => ({ code: error.code ?? 1, stderr: error.stderr ?? "" }),
      );
      expect(result.stderr.split("\n").filter((l) => l.includes("wren.service"))).toEqual([]);
      expect(result.code).toBe(0);
    },
  );
});

describe("docs/scale.md", () => {
  it("every TOML snippet passes wren config validate", async () => {
    const doc = await readFile(path.join(projectRoot, "docs", "scale.md"), "utf8");
    const snippets = [...doc.matchAll(/^```toml\n([\s\S]*?)^```$/gm)].map((m) => m[1]!);
    expect(snippets.length).toBeGreaterThanOrEqual(4);
    for (const [i, snippet] of snippets.entries()) {
      const run = await validate(`scale-${i}.toml`, snippet);
      expect(run, `snippet ${i + 1}:\n${snippet}`).toMatchObject({ code: 0, stdout: "ok\n" });
    }
  });
});

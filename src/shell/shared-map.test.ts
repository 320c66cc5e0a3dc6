import { describe, expect, it } from "vitest";
import { changedKeys, changedNames, forkMap, forkSet, SharedMap, SharedSet } from "./shared-map.js";

describe("SharedMap", () => {
  it("reads and writes as a Map does, in insertion order", () => {
    const shared = new SharedMap<number>();
    const plain = new Map<string, number>();
    const names = Array.from({ length: 300 }, (_, i) => `f${(i * 37) % 300}.txt`);
    for (const [i, name] of names.entries()) {
      shared.set(name, i);
      plain.set(name, i);
      if (i % 7 === 0) {
        shared.delete(names[i >> 1] ?? "");
        plain.delete(names[i >> 1] ?? "");
      }
      if (i % 5 === 0) {
        shared.set(names[i >> 2] ?? "", -i);
        plain.set(names[i >> 2] ?? "", -i);
      }
    }
    expect([...shared]).toEqual([...plain]);
    expect(shared.size).toBe(plain.size);
    expect(shared.get("f1.txt")).toBe(plain.get("f1.txt"));
    expect(shared.has("nothing")).toBe(false);
  });

  it("keeps a fork and its original apart", () => {
    const original = new SharedMap<string | undefined>([["a.sh", "ls"], ["b.sh", undefined]]);
    const copy = original.fork();
    copy.set("a.sh", "rm -rf ~");
    copy.delete("b.sh");
    copy.set("c.sh", "pwd");
    original.set("d.sh", "id");
    expect([...original]).toEqual([["a.sh", "ls"], ["b.sh", undefined], ["d.sh", "id"]]);
    expect([...copy]).toEqual([["a.sh", "rm -rf ~"], ["c.sh", "pwd"]]);
  });

  it("names what two forks differ in: held by one only, or another value", () => {
    const original = new SharedMap<string | undefined>(Array.from({ length: 1000 }, (_, i): [string, string] => [`f${i}`, `${i}`]));
    const copy = original.fork();
    copy.set("f1", "one");
    copy.delete("f2");
    copy.set("new", undefined);
    original.set("f3", "three");
    copy.set("f4", "4");
    expect([...SharedMap.changed(original, copy)].sort()).toEqual(["f1", "f2", "f3", "new"]);
    expect([...changedKeys(original, new Map(copy))].sort()).toEqual(["f1", "f2", "f3", "new"]);
    expect(SharedMap.changed(original, original.fork()).size).toBe(0);
  });

  it("skips a name deleted while iterating and sees a value changed", () => {
    const map = new SharedMap<number>([["a", 1], ["b", 2], ["c", 3]]);
    const seen: [string, number][] = [];
    for (const [k, v] of map) {
      if (k === "a") {
        map.delete("b");
        map.set("c", 30);
      }
      seen.push([k, v]);
    }
    expect(seen).toEqual([["a", 1], ["c", 30]]);
  });

  it("copies a plain Map once, then shares", () => {
    const copy = forkMap(new Map([["x", "/"]]));
    expect(copy).toBeInstanceOf(SharedMap);
    const again = forkMap(copy);
    again.set("x", "build");
    expect(copy.get("x")).toBe("/");
  });
});

describe("SharedSet", () => {
  it("keeps a fork apart and names what two differ in", () => {
    const set = new SharedSet(["a.sh", "b.sh"]);
    const copy = forkSet(set);
    copy.add("c.sh");
    set.delete("a.sh");
    expect([...set]).toEqual(["b.sh"]);
    expect([...copy]).toEqual(["a.sh", "b.sh", "c.sh"]);
    expect([...changedNames(set, copy)].sort()).toEqual(["a.sh", "c.sh"]);
    expect([...changedNames(new Set(set), copy)].sort()).toEqual(["a.sh", "c.sh"]);
  });
});

import { expect, it } from "vitest";
import { refusalForModel } from "./permission-gate.js";

it("puts a refusal's reason and rule in one bracket, with no stray full stop before the rule", () => {
  const text = refusalForModel("Bash", { action: "deny", reason: "Bash reads .env, which is denied (flag rule).", rule: "Read(**/.env)" }, "default");
  expect(text).toContain("(Bash reads .env, which is denied (flag rule); rule Read(**/.env)).");
  expect(text).not.toContain(".;");
  const plain = refusalForModel("Write", { action: "deny", reason: "writes need consent" }, "default");
  expect(plain).toMatch(/^Permission denied: Write was not run \(writes need consent\)\. Do not retry/);
});

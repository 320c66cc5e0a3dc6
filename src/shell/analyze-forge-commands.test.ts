import { describe, expect, it } from "vitest";
import { shellAnalysis } from "../../test/helpers/shell-rated.js";
import type { Risk } from "./types.js";

/** Repository hosts' and package registries' command-line tools deleting what lives on the server. */
const analysis = shellAnalysis();
const rated = (command: string): Risk => analysis(command).risk;

describe("deleting a repository, release or package on a server", () => {
  it.each([
    "gh repo delete me/x --yes",
    "gh repo delete --yes",
    "gh repo delete me/x --yes=true",
    "glab repo delete me/x --yes",
    "glab repo delete me/x -y",
    "gh api -X DELETE repos/me/x",
    "gh api --method DELETE /repos/me/x",
    "gh api repos/me/x --method=DELETE",
  ])("%s destroys a whole repository without asking: critical", (command) => {
    expect(rated(command)).toBe("critical");
    expect(analysis(command).reasons[0]?.category).toBe("data loss");
  });

  it.each([
    "dotnet nuget delete App 1.0.0 --non-interactive",
    "dotnet nuget delete App 1.0.0 -s https://api.nuget.org/v3/index.json -k \"$KEY\" --non-interactive",
    "nuget delete App 1.0.0 -NonInteractive",
  ])("%s takes a published package away without asking: critical", (command) => {
    expect(rated(command)).toBe("critical");
    expect(analysis(command).reasons[0]?.category).toBe("data loss");
  });

  it.each([
    "gh repo delete me/x",
    "glab repo delete me/x",
    "gh release delete v1.0 --yes",
    "gh release delete v1.0 --cleanup-tag -y",
    "gh release delete-asset v1.0 app.tar.gz",
    "glab release delete v1.0",
    "gh repo archive me/x --yes",
    "glab repo archive me/x",
    "gh issue delete 12 --yes",
    "gh secret delete TOKEN",
    "gh gist delete 1234",
    "gh api -X DELETE repos/me/x/releases/7",
    "gh api -XDELETE repos/me/x/git/refs/tags/v1",
    "gh repo deploy-key delete 123",
    "gh label delete bug --yes",
    "gh -R me/x release delete v1 --yes",
    "npm unpublish x --force",
    "npm unpublish x@1.0.1",
    "pnpm unpublish x@1.0.1",
    "gem yank x -v 1.0.0",
    "dotnet nuget delete App 1.0.0",
    "dotnet nuget delete App 1.0.0 -s https://api.nuget.org/v3/index.json",
    "nuget delete App 1.0.0",
  ])("%s deletes something others depend on, for good: high", (command) => {
    expect(rated(command)).toBe("high");
  });

  it("says what it deletes", () => {
    expect(analysis("gh repo delete me/x --yes").reasons[0]?.detail).toMatch(/repository/);
    expect(analysis("npm unpublish x --force").reasons[0]?.detail).toMatch(/registry/);
    expect(analysis("dotnet nuget delete App 1.0.0").reasons[0]?.detail).toMatch(/package/);
  });

  it.each([
    "gh repo view me/x",
    "gh release list",
    "gh release view v1.0",
    "gh issue list --label delete",
    "gh pr create --title 'delete old code' --body 'repo delete'",
    "gh api repos/me/x",
    "gh api repos/me/x/issues --jq '.[].title'",
    "glab repo view me/x",
    "npm view x versions",
    "dotnet nuget locals all --list",
    "dotnet nuget list source",
  ])("%s only reads: safe", (command) => {
    expect(rated(command)).toBe("safe");
  });
});

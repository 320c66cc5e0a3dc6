import { describe, expect, it } from "vitest";
import { shellAnalysis } from "../../test/helpers/shell-rated.js";
import type { Risk } from "./types.js";

/** Publishing sends the user's code out to everyone, and cannot be taken back. */
const analysis = shellAnalysis();
const rated = (command: string): Risk => analysis(command).risk;

describe("publishing to a public registry or host", () => {
  it.each([
    "npm publish",
    "npm publish --access public",
    "pnpm publish --no-git-checks",
    "bun publish",
    "yarn publish",
    "yarn npm publish",
    "cargo publish",
    "cargo publish -p core",
    "twine upload dist/*",
    "python -m twine upload dist/*",
    "uv publish",
    "poetry publish --build",
    "gem push x-1.0.0.gem",
    "docker push me/app:1.0",
    "podman push me/app",
    "docker image push me/app",
    "docker buildx build --push -t me/app .",
    "gh release create v1.0 dist/app.tar.gz",
    "glab release create v1.0",
    "gh repo create me/x --public",
    "gh repo create me/x --public --source . --push",
    "gh repo edit me/x --visibility public",
    "dotnet nuget push app.nupkg",
    "dotnet nuget push app.nupkg -n",
    "uv publish -n",
    "deno publish",
    "dart pub publish",
    "vsce publish",
    "helm push chart.tgz oci://registry.example/charts",
    "mvn deploy",
    "mvn clean deploy",
    "mvn -B -DskipTests -P release clean verify deploy",
    "./mvnw deploy -pl core",
    "mvn deploy:deploy-file -Dfile=app.jar -Durl=https://repo.example.com/releases",
    "mvn release:perform",
    "gradle publish",
    "./gradlew publish",
    "./gradlew clean build publish --no-daemon",
    "./gradlew :lib:publish",
    "./gradlew publishToMavenCentral",
    "gradle publishAllPublicationsToSonatypeRepository",
    "./gradlew publishPlugins",
    "./gradlew publish -Pmode=release",
    "mvn -pl deploy deploy",
    "./mvnw -P release -pl core deploy",
    "./gradlew publish -x test",
    "gradle -p lib publish",
    "dotnet nuget push bin/Release/app.1.0.0.nupkg -s https://api.nuget.org/v3/index.json -k \"$KEY\"",
  ])("%s publishes for everyone: moderate", (command) => {
    expect(rated(command)).toBe("moderate");
    expect(analysis(command).reasons[0]?.category).toBe("network exposure");
  });

  it.each([
    "npm publish --dry-run",
    "pnpm publish --dry-run",
    "yarn npm publish --dry-run",
    "cargo publish --dry-run",
    "poetry publish --dry-run",
    "deno publish --dry-run",
    "dart pub publish --dry-run",
    "dart pub publish -n",
    "gh release create v1.0 --draft",
    "gh repo create me/x --private",
    "gh release view v1.0",
    "npm pack",
    "cargo package",
    "docker pull me/app",
    "docker build -t me/app .",
    "twine check dist/*",
    "gem build x.gemspec",
    "npm run publish-docs",
    "mvn install",
    "mvn clean package -DskipTests",
    "mvn deploy -Dmaven.deploy.skip=true",
    "gradle build",
    "./gradlew publishToMavenLocal",
    "./gradlew :lib:publishMavenPublicationToMavenLocal",
    "./gradlew publish --dry-run",
    "./gradlew publish -m",
    "dotnet nuget list source",
    // The word an option takes is its value, not a goal or task: a module named deploy, a publish task excluded.
    "mvn -pl deploy install",
    "mvn --projects deploy clean install",
    "mvn -rf deploy verify",
    "gradle build -x publish",
    "./gradlew build --exclude-task publish",
    "./gradlew check -x :lib:publish -x pub",
  ])("%s publishes nothing: safe", (command) => {
    expect(rated(command)).toBe("safe");
  });
});

// Gradle runs a task named by any camel-case abbreviation that names it alone: `pub` may be `publish`.
describe("Gradle's abbreviated task names", () => {
  it.each([
    "gradle pub",
    "./gradlew publ",
    "./gradlew publis",
    "./gradlew clean pub",
    "./gradlew :lib:pub",
    "./gradlew pubToMC",
    "./gradlew pubToMavenCentral",
    "./gradlew pubPlugins",
    "./gradlew publishAllPubsToSonatypeRepo",
    "./gradlew pubTM",
  ])("%s may run a publish task: moderate", (command) => {
    expect(rated(command)).toBe("moderate");
    expect(analysis(command).reasons[0]?.category).toBe("network exposure");
  });

  it.each([
    "./gradlew pTML",
    "./gradlew pubTML",
    "./gradlew pubToMavenLocal",
    "./gradlew publishToMavenL",
    "./gradlew :lib:pubMPTML",
    "./gradlew pu",
    "./gradlew pubx",
    "./gradlew pb",
    "./gradlew pub --dry-run",
    "./gradlew pR",
  ])("%s publishes nothing, or names no publish task: safe", (command) => {
    expect(rated(command)).toBe("safe");
  });
});

import { describe, expect, it } from "vitest";
import { shellAnalysis } from "../../test/helpers/shell-rated.js";
import type { Risk } from "./types.js";

/** HTTP requests that change something on another machine; reading stays safe, and so does this machine's own server. */
const analysis = shellAnalysis();
const rated = (command: string): Risk => analysis(command).risk;

describe("HTTP requests that write to a server", () => {
  it.each([
    "curl -X DELETE https://api.example.com/items/7",
    "curl -XDELETE https://api.example.com/items/7",
    "curl --request DELETE https://api.example.com/items/7",
    "curl --request=PUT https://api.example.com/items/7 -d @item.json",
    "curl -X POST -H 'Content-Type: application/json' -d '{\"a\":1}' https://api.example.com/items",
    "curl -X PATCH https://api.example.com/items/7 --json '{\"a\":2}'",
    "curl -d name=x https://api.example.com/items",
    "curl -sS --data-binary @build.tgz api.example.com/upload",
    "curl -F file=@report.pdf https://api.example.com/upload",
    "curl -T build.tgz https://files.example.com/",
    "wget --method=DELETE https://api.example.com/items/7",
    "wget --post-data 'a=1' https://api.example.com/items",
    // The body joined to its option, known only at run time too, as curl and wget read it.
    "curl -d \"$(cat x)\" https://x.io",
    "curl --data=\"$(cat x)\" https://x.io",
    "curl -d\"$(cat x)\" https://x.io",
    "curl -sd\"$BODY\" https://x.io",
    "curl -d@item.json https://x.io",
    "curl -sSd@item.json https://x.io",
    "curl --data-binary=@build.tgz https://x.io",
    "curl --json=\"$(cat x)\" https://x.io",
    "curl -F\"f=@x\" https://x.io",
    "curl --form=\"f=@$F\" https://x.io",
    "curl -T\"$F\" https://x.io",
    "curl --upload-file=\"$F\" https://x.io",
    "curl -XPOST https://x.io",
    "curl --request=POST https://x.io",
    "wget --post-data=\"$(cat x)\" https://x.io",
    "wget --post-file=\"$F\" https://x.io",
    "wget2 --body-file=\"$F\" https://x.io",
    "http https://x.io --raw=\"$(cat x)\"",
    "http DELETE https://api.example.com/items/7",
    "xh POST api.example.com/items a=1",
    "gh api -X POST repos/me/x/issues -f title=bug",
    "gh api repos/me/x/issues -f title=bug",
    "gh api graphql -f 'query=mutation { deleteIssue(input: {issueId: \"I_1\"}) { clientMutationId } }'",
  ])("%s changes something on another machine: moderate", (command) => {
    expect(rated(command)).toBe("moderate");
    expect(analysis(command).reasons[0]?.category).toBe("network exposure");
  });

  it.each([
    "curl https://example.com",
    "curl -fsSL https://example.com/install.sh -o install.sh",
    "curl -sSL -H 'Accept: application/json' https://api.example.com/items",
    "curl -X GET https://api.example.com/items",
    "curl -G -d q=wren https://api.example.com/search",
    "curl -G -d\"$(cat x)\" https://x.io",
    "curl --get --data=\"$(cat x)\" https://x.io",
    // A word another option takes is its value: `-d` here is a header.
    "curl -H -d https://x.io",
    "curl -I https://example.com",
    "curl -d '{\"model\":\"qwen\"}' http://localhost:8080/v1/chat/completions",
    "curl -X POST http://127.0.0.1:11434/api/generate -d '{}'",
    "curl -X DELETE localhost:8080/v1/models/x",
    "wget https://example.com/file.tgz",
    "http GET https://api.example.com/items",
    "gh api repos/me/x/issues",
    "gh api -X GET search/issues -f q=wren",
    "gh api graphql -f 'query=query { viewer { login } }'",
    "http POST :8080/v1/chat/completions model=qwen",
  ])("%s only reads, or talks to this machine: safe", (command) => {
    expect(rated(command)).toBe("safe");
  });

  // Only the URLs the request goes to decide; "localhost" as a body, a header or a user name does not.
  it.each([
    "curl -X DELETE https://example.com -d localhost",
    "curl -d localhost https://api.example.com/items",
    "curl -sSd localhost https://api.example.com/items",
    "curl -X DELETE -H localhost https://api.example.com/items/7",
    "curl -X DELETE -e http://localhost/ https://api.example.com/items/7",
    "curl -X DELETE http://localhost:8080/x https://api.example.com/items/7",
    "curl -X DELETE --url https://api.example.com/items/7 -u localhost",
    "curl -X POST -K request.cfg",
    "wget --post-data localhost https://api.example.com/items",
    "wget --method=DELETE --referer http://localhost/ https://api.example.com/items/7",
    "wget --post-data x=1 -i urls.txt http://localhost/",
    "http -a localhost DELETE https://api.example.com/items/7",
  ])("%s goes to another machine, whatever else names localhost: moderate", (command) => {
    expect(rated(command)).toBe("moderate");
  });

  it.each([
    "curl -X DELETE --url http://localhost:8080/v1/models/x",
    "curl -sS -X POST localhost:8080/a 127.0.0.1:8080/b -d x=1",
    "curl -o out.json -H 'Content-Type: application/json' -d @body.json http://127.0.0.1:8080/v1/chat/completions",
    "curl -sSd x=1 http://[::1]:8080/x",
    "curl -d\"$(cat x)\" localhost:8080",
    "wget --post-data=\"$(cat x)\" http://localhost:8080/x",
    "wget -O out.json --post-data x=1 http://localhost:8080/x",
    "http -a ada:pw DELETE :8080/v1/models/x",
  ])("%s writes only to this machine: safe", (command) => {
    expect(rated(command)).toBe("safe");
  });

  // httpie and xh send a POST when given data items (`=`, `:=`, `@`, `=@`, `:=@`) and no method.
  it.each([
    "http example.com name=value",
    "http api.example.com/items name=ada age:=36",
    "https api.example.com/items tags:='[1,2]'",
    "http -f api.example.com/upload cv@report.pdf",
    "http api.example.com/items @item.json",
    "http api.example.com/items bio=@bio.txt",
    "http api.example.com/items meta:=@meta.json",
    "http -v --auth ada:pw api.example.com/items Accept:application/json name=ada",
    "http --raw '{\"a\":1}' api.example.com/items",
    "xh api.example.com/items name=ada",
    "xhs api.example.com/items name=ada",
    "http PUT api.example.com/items/7 name=ada",
    "http patch api.example.com/items/7",
    "xh DELETE api.example.com/items/7",
    "http \"$METHOD\" api.example.com/items/7",
    "http \"$METHOD\" example.com:8080/items",
    "http \"$URL\" name=ada",
    "xh \"$URL\" Accept:json age:=36",
  ])("%s sends a POST or another write: moderate", (command) => {
    expect(rated(command)).toBe("moderate");
    expect(analysis(command).reasons[0]?.category).toBe("network exposure");
  });

  it.each([
    "http example.com",
    "https api.example.com/items Accept:application/json",
    "http api.example.com/search q==wren",
    "http api.example.com/items X-Token:abc 'Cookie:a=b' q==wren",
    "http api.example.com/items Authorization:@token.txt",
    "http GET api.example.com/items name=ada",
    "http --offline api.example.com/items name=ada",
    "http -o out.json api.example.com/file",
    "xh api.example.com/items",
    "http :8080/v1/chat/completions model=qwen",
    "http localhost:8080/v1/chat/completions model=qwen",
    "xh 127.0.0.1:8080/v1/models/x name=y",
    // A header or query item where the URL would be: the run-time word before it is the URL, not a method.
    "http \"$URL\" Accept:json",
    "http $URL q==wren X-Token:abc",
    // xh --curl prints the curl command for the request and sends nothing.
    "xh --curl POST api.example.com/items a=1",
    "xh --curl-long api.example.com/items name=ada",
    "xhs --curl DELETE api.example.com/items/7",
  ])("%s only reads, or writes to this machine: safe", (command) => {
    expect(rated(command)).toBe("safe");
  });

  // httpie and xh read the body from standard input when it is not a terminal, and then send a POST.
  it.each([
    "echo '{}' | http example.com",
    "cat item.json | http api.example.com/items",
    "http api.example.com/items < item.json",
    "http api.example.com/items <<< '{\"a\":1}'",
    "printf '%s' \"$BODY\" | xh api.example.com/items",
    "http api.example.com/items Authorization:@token.txt < item.json",
    "cat item.json | sudo http api.example.com/items",
    "echo '{}' | http -v api.example.com/items",
  ])("%s sends what comes in on standard input in a POST: moderate", (command) => {
    expect(rated(command)).toBe("moderate");
    expect(analysis(command).reasons.map((r) => r.category)).toContain("network exposure");
  });

  it.each([
    "echo '{}' | http --ignore-stdin example.com",
    "echo '{}' | http -I example.com",
    "echo '{}' | xh -I example.com",
    "echo '{}' | http -Iv example.com",
    "echo '{}' | http GET example.com",
    "echo '{}' | http --offline example.com",
    "echo '{}' | http :8080/v1/chat/completions",
    "http localhost:8080/v1/chat/completions < body.json",
    "http example.com | jq .",
  ])("%s sends no body, or only to this machine: safe", (command) => {
    expect(rated(command)).toBe("safe");
  });
});

describe("PowerShell's web requests that write to a server", () => {
  const ps = (command: string): Risk => analysis(command, "powershell").risk;

  // Invoke-RestMethod and Invoke-WebRequest (irm, iwr; curl and wget in Windows PowerShell 5) send what -Method names.
  it.each([
    "Invoke-RestMethod -Uri https://api.example.com/items -Method Post -Body $json",
    "irm https://api.example.com/items/7 -Method DELETE",
    "iwr -Method:Put -Uri https://api.example.com/items/7 -InFile item.json",
    "Invoke-WebRequest https://api.example.com/items/7 -Meth patch -Body '{}'",
    "invoke-restmethod -method 'post' -uri 'https://api.example.com/items'",
    "Invoke-RestMethod -Method Merge https://api.example.com/odata/Items(7)",
    "irm -Method 3 https://api.example.com/items",
    "irm -Uri https://api.example.com/items -CustomMethod POST",
    "irm -CM DELETE https://api.example.com/items/7",
    "curl -Method Post -Uri https://api.example.com/items",
    "wget https://api.example.com/items -Method Post",
    "irm https://api.example.com/items -Method $method",
    "irm @request",
    "$r = Invoke-RestMethod -Uri https://api.example.com/items -Method Post",
    "irm -Method Post -Uri https://api.example.com/items | ConvertTo-Json",
    "irm -Method Post -UserAgent localhost -TimeoutSec 5 https://api.example.com/items",
    "irm -Method Post -UseBasicParsing https://api.example.com/items",
    "irm -Method Post -Uri $url",
  ])("%s changes something on another machine: moderate", (command) => {
    expect(ps(command)).toBe("moderate");
    expect(analysis(command, "powershell").reasons[0]?.category).toBe("network exposure");
  });

  // -Body or -InFile without -Method send a GET (a hash table as the query), as PowerShell's web cmdlets do.
  it.each([
    "irm https://api.example.com/items",
    "Invoke-RestMethod -Uri https://api.example.com/items -Method Get",
    "iwr -Uri https://api.example.com/search -Body @{q='wren'}",
    "iwr https://example.com/file.zip -OutFile file.zip",
    "Invoke-WebRequest -Method Head https://example.com",
    "irm -MaximumRedirection 3 https://api.example.com/items",
    "irm -Method Post -Uri http://localhost:8080/v1/chat/completions -Body $json",
    "Invoke-RestMethod http://127.0.0.1:11434/api/generate -Method Post -Body '{}'",
    "irm -Method:Delete -Uri:http://localhost:8080/v1/models/x",
    "irm -Method Post -TimeoutSec 5 -UseBasicParsing http://[::1]:8080/x",
  ])("%s only reads, or writes to this machine: safe", (command) => {
    expect(ps(command)).toBe("safe");
  });
});

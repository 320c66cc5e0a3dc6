import { describe, expect, it } from "vitest";
import { shellAnalysis } from "../../test/helpers/shell-rated.js";

/** A name made only of wildcards and bracket expressions (`[[:alpha:]]*`, `[!.]*`) names a folder's contents, as `*` does. */
const analysis = shellAnalysis();

describe("bracket expressions in a deleted name", () => {
  it.each(["rm -rf ~/[[:alpha:]]*", "rm -rf ~/[a-z]*", "rm -rf ~/[!.]*", "rm -rf ~/[[:alnum:]_]*", "rm -rf ~/.[[:alpha:]]*", "rm -rf ~/.[!.]*"])(
    "%s empties the home, as rm -rf ~/* does: critical",
    (command) => {
      expect(analysis("rm -rf ~/*").risk).toBe("critical");
      expect(analysis(command).risk).toBe("critical");
    },
  );

  it.each(["rm -rf ~/notes/[ab].txt", "rm -rf ~/build[0-9]", "rm -rf ~/[ab]", "rm -rf ~/[ab]*.log"])("%s names a few files, rated as before", (command) => {
    expect(analysis(command).risk).not.toBe("critical");
  });
});

import { describe, expect, it } from "vitest";
import { shellAnalysis } from "../../test/helpers/shell-rated.js";
import type { Risk } from "./types.js";

/** `rsync --delete SRC/ DEST` removes everything in DEST that SRC lacks: rated as deleting DEST's contents. */
const analysis = shellAnalysis();
const rated = (command: string): Risk => analysis(command).risk;

describe("rsync --delete is rated by its destination", () => {
  it.each([
    "rsync -a --delete empty/ ~",
    "rsync -a --delete empty/ ~/",
    "rsync -a --delete empty/ /home/ada",
    "rsync -a --delete empty/ /",
    "rsync -a --delete-after empty/ /etc/",
    "rsync -av --del empty/ /usr",
    "rsync -a --delete-before empty/ /var",
    "rsync -a --delete-delay empty/ ~",
    "rsync -a --delete-during --exclude .cache empty/ ~",
    "rsync -a empty/ ~ --delete --exclude .cache",
    "rsync -a --delete -e ssh empty/ ~",
    "rsync -a --delete-excluded empty/ ~",
  ])("%s empties the home or the system, as rm -rf ~/* does: critical", (command) => {
    expect(rated(command)).toBe("critical");
    expect(analysis(command).reasons[0]?.category).toMatch(/data loss|system destruction/);
  });

  it.each([
    "rsync -a --delete src/ ~/Documents",
    "rsync -a --delete src/ .",
    "rsync -a --delete src/ ../other",
    'rsync -a --delete src/ "$DEST"',
    "rsync -a --delete build/ deploy@web:/var/www",
    "rsync -a --delete build/ rsync://mirror.example/pub",
    "rsync -a --delete src/ ~/.ssh",
  ])("%s deletes what rm -r of that folder's contents would: high", (command) => {
    expect(rated(command)).toBe("high");
  });

  it.each(["rsync -a --delete src/ build/", "rsync -a --delete src/ /tmp/out"])("%s mirrors into a project or temporary folder: moderate", (command) => {
    expect(rated(command)).toBe("moderate");
    expect(analysis(command).reasons[0]?.detail).toMatch(/deletes files in .* that are not in the source/);
  });

  it.each(["rsync -a src/ build/", "rsync -av src/ ~/backup/"])("%s deletes nothing: safe", (command) => {
    expect(rated(command)).toBe("safe");
  });
});

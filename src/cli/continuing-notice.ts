/**
 * What the terminal UI says when it goes on with a session that has prompts: every prompt of its
 * transcript (what `wren sessions show` prints), and how many of them failed before an answer, which
 * are not sent to the model again; and the damaged records left out (see {@link damagedRecordsNotice}).
 * Nothing for a session with neither.
 */
export function continuingNotice(id: string, prompts: { total: number; failed: number }, damaged = 0): string | undefined {
  const { total, failed } = prompts;
  const skipped = damagedRecordsNotice(id, damaged);
  if (total === 0) return skipped === undefined ? undefined : `Continuing session ${id}: ${skipped}`;
  const counted = `${total} earlier prompt${total === 1 ? "" : "s"}`;
  const left =
    failed === 0
      ? ""
      : failed === total
        ? total === 1
          ? ", which failed before an answer and is left out of the conversation"
          : `, ${total === 2 ? "both" : "all"} failed before an answer and left out of the conversation`
        : `, ${failed} of them failed before an answer and ${failed === 1 ? "is" : "are"} left out of the conversation`;
  const continuing = `Continuing session ${id} (${counted}${left}; wren sessions show ${id} prints ${total === 1 ? "it" : "them"}).`;
  return skipped === undefined ? continuing : `${continuing} ${skipped[0]!.toUpperCase()}${skipped.slice(1)}`;
}

/**
 * What a session that goes on says of the records of its transcript a failed write tore (a full
 * disk, the file-size limit), which are left out of the conversation: how many, and where to see
 * where they were. Nothing when there are none.
 */
export function damagedRecordsNotice(id: string, damaged: number): string | undefined {
  if (damaged === 0) return undefined;
  const one = damaged === 1;
  return `${one ? "one record" : `${damaged} records`} of its transcript ${one ? "was" : "were"} damaged (a write cut short by a full disk or the file-size limit) and ${one ? "is" : "are"} left out of the conversation; wren sessions show ${id} marks where.`;
}

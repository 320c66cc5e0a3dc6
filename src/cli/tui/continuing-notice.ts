/**
 * What the terminal UI says when it goes on with a session that has prompts: every prompt of its
 * transcript (what `wren sessions show` prints), and how many of them failed before an answer, which
 * are not sent to the model again. Nothing for a session without one.
 */
export function continuingNotice(id: string, prompts: { total: number; failed: number }): string | undefined {
  const { total, failed } = prompts;
  if (total === 0) return undefined;
  const counted = `${total} earlier prompt${total === 1 ? "" : "s"}`;
  const left =
    failed === 0
      ? ""
      : failed === total
        ? total === 1
          ? ", which failed before an answer and is left out of the conversation"
          : `, ${total === 2 ? "both" : "all"} failed before an answer and left out of the conversation`
        : `, ${failed} of them failed before an answer and ${failed === 1 ? "is" : "are"} left out of the conversation`;
  return `Continuing session ${id} (${counted}${left}; wren sessions show ${id} prints ${total === 1 ? "it" : "them"}).`;
}

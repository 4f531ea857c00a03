/** The liveness guard's error (issue #19 "Every run ends"): a run that makes no progress stops with it. */

/** One line: `MXLAB_LIVENESS: message N (delivery D, recipient R) to domain at T ms: rule: ...`. */
export class LivenessError extends Error {
  readonly code = 'MXLAB_LIVENESS';
  constructor(detail: string) {
    super(`MXLAB_LIVENESS: ${detail}`);
    this.name = 'LivenessError';
  }
}

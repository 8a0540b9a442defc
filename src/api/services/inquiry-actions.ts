/** Audit actions that are inquiries: a relying party read a person's score or decision. */
export const INQUIRY_ACTIONS = ['score.query', 'decision.query', 'screen.query'] as const;

/** Inquiries that sent a score out (GDPR Art. 15 / Schufa: scores sent in the last 12 months). */
export const SCORE_SENT_ACTIONS = ['score.query', 'decision.query'] as const;

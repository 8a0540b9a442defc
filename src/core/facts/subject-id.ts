/** Subject ids Credence assigns: `P` and a zero-padded sequence number, in order of first sight. */
export const GENERATED_ID = /^P\d{7,}$/;

export function generatedSubjectId(seq: number): string {
  return `P${String(seq).padStart(7, '0')}`;
}

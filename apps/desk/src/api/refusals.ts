/** What a field refusal means, in the words of the desk (SPEC §5 reasons). */
export const REFUSAL_TEXT: Record<string, string> = {
  RESTRICTED: "hidden at the patient's request",
  NO_DUTY: 'no care relationship',
  MFA_REQUIRED: 'needs two-factor sign-in',
  ROLE: 'not part of your role',
  UNAUTHENTICATED: 'sign in to see this',
};

export function refusalText(reason: string): string {
  return REFUSAL_TEXT[reason] ?? 'not available';
}

import { describe, expect, it } from 'vitest';
import { refusalAt, problems } from './client';
import { refusalText } from './refusals';

describe('field refusals in the desk', () => {
  it('say what each reason means', () => {
    expect(refusalText('RESTRICTED')).toBe("hidden at the patient's request");
    expect(refusalText('NO_DUTY')).toBe('no care relationship');
    expect(refusalText('MFA_REQUIRED')).toBe('needs two-factor sign-in');
    expect(refusalText('ROLE')).toBe('not part of your role');
    expect(refusalText('SOMETHING_NEW')).toBe('not available');
  });

  it('are found at their exact path, and kept apart from other errors', () => {
    const errors = [
      { message: 'x', path: ['appointments', 0, 'patient', 'address'], extensions: { code: 'FORBIDDEN', reason: 'RESTRICTED' } },
      { message: 'Bad start', extensions: { code: 'BAD_USER_INPUT' } },
    ];
    expect(refusalAt(errors, ['appointments', 0, 'patient', 'address'])).toBe('RESTRICTED');
    expect(refusalAt(errors, ['appointments', 1, 'patient', 'address'])).toBeUndefined();
    expect(problems(errors).map((e) => e.message)).toEqual(['Bad start']);
  });
});

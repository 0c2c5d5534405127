import { describe, expect, it } from 'vitest';
import { forbidden } from './verdict.js';

describe('a refusal', () => {
  it('carries its code and reason, no value and no stack frames, and leaves stacks of other errors alone', () => {
    const refusal = forbidden('NO_DUTY', 'Patient.phone');
    expect(refusal.message).toBe('Not allowed to read Patient.phone (NO_DUTY)');
    expect(refusal.extensions).toEqual({ code: 'FORBIDDEN', reason: 'NO_DUTY' });
    expect(refusal.stack?.split('\n').filter((line) => line.trim().startsWith('at '))).toEqual([]);
    expect(new Error('a fault').stack).toContain('at ');
  });
});

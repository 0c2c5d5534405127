import { describe, expect, it } from 'vitest';
import { ROLES } from '@clinic/schema';
import { CLINIC_POLICY } from '../policy/clinic-policy.js';
import { servedSchema } from '../testing/served-schema.js';
import { isObjectType } from 'graphql';

// The yearly access review's fields (issue 15) in the compiled rules: the privacy officer's only,
// decided whatever the row, for every role with and without two-factor authentication.

const ROOT_FIELDS = ['Query.accessReview', 'Query.overdueAccessReviews', 'Query.accessReviewSignOffs', 'Mutation.signOffAccessReview'];
const ANSWER_TYPES = ['EmployeeAccessReview', 'TwoFactorUse', 'ReviewDuty', 'ReviewRestriction', 'ReviewEmergencyAccess', 'ReviewRefusal', 'AccessReviewSignOff', 'OverdueAccessReview'];

describe('the access review rules', () => {
  it('let only the privacy officer in; every other role is refused for its role, and nobody for want of a token', () => {
    for (const coordinate of ROOT_FIELDS) {
      for (const mfa of [false, true]) {
        expect(CLINIC_POLICY.plan('PRIVACY_OFFICER', mfa, coordinate).fixed, coordinate).toMatchObject({ allow: true });
        for (const role of ROLES.filter((r) => r !== 'PRIVACY_OFFICER')) {
          expect(CLINIC_POLICY.plan(role, mfa, coordinate).fixed, `${coordinate} ${role}`).toMatchObject({ allow: false, reason: 'ROLE' });
        }
        expect(CLINIC_POLICY.plan(undefined, mfa, coordinate).fixed, coordinate).toMatchObject({ allow: false, reason: 'UNAUTHENTICATED' });
      }
    }
  });

  it('give every field of the answers the decision of the privacy officer\'s field that reached it', () => {
    const schema = servedSchema();
    for (const typeName of ANSWER_TYPES) {
      const type = schema.getType(typeName);
      expect(isObjectType(type), typeName).toBe(true);
      for (const field of isObjectType(type) ? Object.keys(type.getFields()) : []) {
        const checks = CLINIC_POLICY.rules[typeName]?.[field]?.map((c) => c.name);
        expect(checks, `${typeName}.${field}`).toEqual(['decidedByTheFieldThatReachedIt']);
      }
    }
  });
});

import type { SqlEntityManager } from '@clinic/service-kit';
import { clinicDayBounds } from '@clinic/schema';
import { Employee } from './entities.js';
import { EMPLOYEE_RULE, employeeDueDay, employeeIsDue, employmentCutoffDay, PERSONAL_DATA_COLUMNS } from './retention-rules.js';

/** Employees' personal data past retention (SPEC §11): the dry run and its application. */
export const EMPLOYEE_ITEM_KIND = 'EMPLOYEE_PERSONAL_DATA';

const FIELDS = ['id', 'terminationDate', ...PERSONAL_DATA_COLUMNS] as const;

async function dueAt(em: SqlEntityManager, at: Date) {
  const ended = await em.find(Employee, { terminationDate: { $ne: null, $lte: employmentCutoffDay(at) } }, { fields: [...FIELDS], orderBy: { terminationDate: 'asc', id: 'asc' } });
  return ended.filter((e) => employeeIsDue(e, at));
}

export async function retentionReport(em: SqlEntityManager, at: Date) {
  const due = await dueAt(em, at);
  return {
    rules: [{ ...EMPLOYEE_RULE }],
    due: due.map((e) => ({
      rule: EMPLOYEE_RULE.code,
      itemKind: EMPLOYEE_ITEM_KIND,
      itemId: e.id,
      ownerId: e.id,
      // The start of that day in the clinic.
      dueSince: (clinicDayBounds(employeeDueDay(e.terminationDate as string))?.start ?? at).toISOString(),
    })),
    kept: [],
  };
}

/** Empties the personal data of every employee due, in one statement that checks the rule again. */
export async function applyRetention(em: SqlEntityManager, at: Date) {
  const due = await dueAt(em, at);
  const cleared = Object.fromEntries(PERSONAL_DATA_COLUMNS.map((column) => [column, null]));
  const count = due.length
    ? await em.nativeUpdate(Employee, { id: { $in: due.map((e) => e.id) }, terminationDate: { $ne: null, $lte: employmentCutoffDay(at) } }, cleared)
    : 0;
  return { applied: [{ rule: EMPLOYEE_RULE.code, itemKind: EMPLOYEE_ITEM_KIND, action: EMPLOYEE_RULE.action, count }], patientIds: [] };
}

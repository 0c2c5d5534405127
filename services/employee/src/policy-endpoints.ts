import { idList, idValue, instantValue, matchKey, objectBody, type InternalHandler } from '@clinic/service-kit';
import { clinicDayOf } from '@clinic/schema';
import { Employee } from './entities.js';
import { applyRetention, retentionReport } from './retention.js';

/**
 * Gateway-only data of the employee subgraph: is the employee behind a token still employed, and in
 * which role? (A token for an employee whose employment ended is refused.) And staff names.
 */
export const employeePolicyEndpoints: Record<string, InternalHandler> = {
  'employee-status': async (body, em) => {
    const input = objectBody(body);
    const employeeId = idValue(input.employeeId, 'employeeId');
    const today = clinicDayOf(instantValue(input.at, 'at'));
    // Asked on every staff request: a plain row, not an entity.
    const [employee] = await em.createQueryBuilder(Employee).select(['hireDate', 'terminationDate', 'role']).where({ id: employeeId }).limit(1).execute('all');
    if (!employee) return { exists: false, active: false, role: null };
    const started = employee.hireDate <= today;
    const ended = employee.terminationDate !== null && employee.terminationDate !== undefined && employee.terminationDate <= today;
    return { exists: true, active: started && !ended, role: employee.role };
  },

  /** The staff employed on the day of `at`, with their role (the reverse question "who can read this patient"). */
  'staff-roster': async (body, em) => {
    const today = clinicDayOf(instantValue(objectBody(body).at, 'at'));
    const rows = await em.createQueryBuilder(Employee).select(['id', 'role', 'hireDate', 'terminationDate']).orderBy({ id: 'asc' }).execute('all');
    const employed = rows.filter((e) => e.hireDate <= today && (e.terminationDate === null || e.terminationDate === undefined || e.terminationDate > today));
    return { staff: employed.map((e) => ({ id: e.id, role: e.role })) };
  },

  /**
   * The yearly access review (issue 15): everyone hired by the day of `at`, former employees
   * included (their access is reviewed until it is confirmed revoked), with role and dates.
   */
  'staff-for-review': async (body, em) => {
    const today = clinicDayOf(instantValue(objectBody(body).at, 'at'));
    const rows = await em.createQueryBuilder(Employee).select(['id', 'role', 'hireDate', 'terminationDate']).orderBy({ id: 'asc' }).execute('all');
    return { staff: rows.filter((e) => e.hireDate <= today).map((e) => ({ id: e.id, role: e.role, hireDate: e.hireDate, terminationDate: e.terminationDate ?? null })) };
  },

  /** Display names, for the access log a patient reads ("who looked at my record"). */
  'employee-names': async (body, em) => {
    const ids = idList(objectBody(body).ids, 'ids');
    const employees = ids.length ? await em.find(Employee, { id: { $in: ids } }, { fields: ['id', 'firstName', 'lastName'] }) : [];
    return { names: Object.fromEntries(employees.map((e) => [e.id, `${e.firstName} ${e.lastName}`])) };
  },

  /**
   * What the gateway's watch over allowed reads compares (issue 15): digests of each reader's last
   * name and home address (`matchKey`), never the values. One statement.
   */
  'watch-facts': async (body, em) => {
    const ids = idList(objectBody(body).ids, 'ids');
    const rows = ids.length ? await em.createQueryBuilder(Employee).select(['id', 'lastName', 'homeAddress']).where({ id: { $in: ids } }).execute('all') : [];
    return { employees: Object.fromEntries(rows.map((e) => [e.id, { lastNameKey: matchKey(e.lastName), addressKey: matchKey(e.homeAddress) }])) };
  },

  /** Retention (SPEC §11), orchestrated by the gateway on its request clock: the dry run. */
  'retention-report': async (body, em) => retentionReport(em, instantValue(objectBody(body).at, 'at')),

  /** Retention: removes the personal data of employees due at `at`. */
  'apply-retention': async (body, em) => applyRetention(em, instantValue(objectBody(body).at, 'at')),
};

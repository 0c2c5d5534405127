import { describe, expect, it } from 'vitest';
import type { ViewerStatus } from '../policy/policy-client.js';
import { EmploymentCheck } from './employment-check.js';

const EMPLOYED: ViewerStatus = { exists: true, active: true, role: 'NURSE' };
const ENDED: ViewerStatus = { exists: true, active: false, role: 'NURSE' };

/** An employee subgraph whose answer the test sets, counting the look-ups. */
function subgraph(answer: ViewerStatus | Error = EMPLOYED) {
  const asked: { employeeId: string; at: Date }[] = [];
  const state = { answer };
  return {
    asked,
    state,
    employeeStatus: async (employeeId: string, at: Date) => {
      asked.push({ employeeId, at });
      if (state.answer instanceof Error) throw state.answer;
      return state.answer;
    },
  };
}

const NOON = new Date('2026-12-01T17:00:00Z');

describe('EmploymentCheck', () => {
  it('reuses an answer within recheckMs, and asks again after it: a termination written meanwhile then refuses', async () => {
    const employees = subgraph();
    let clock = 0;
    const check = new EmploymentCheck(employees, 1000, () => clock);
    expect(await check.statusOf('e-gagnon', NOON)).toEqual(EMPLOYED);
    employees.state.answer = ENDED;
    clock = 999;
    expect(await check.statusOf('e-gagnon', NOON)).toEqual(EMPLOYED);
    expect(employees.asked).toHaveLength(1);
    clock = 1000;
    expect(await check.statusOf('e-gagnon', NOON)).toEqual(ENDED);
    expect(employees.asked).toHaveLength(2);
  });

  it('keeps an answer for its clinic day only, and per employee', async () => {
    const employees = subgraph();
    const check = new EmploymentCheck(employees, 60_000, () => 0);
    await check.statusOf('e-gagnon', NOON);
    await check.statusOf('e-roy', NOON);
    // 05:00 UTC on 2 December is still 1 December in Montréal; 06:00 UTC is the next clinic day.
    await check.statusOf('e-gagnon', new Date('2026-12-02T04:59:00Z'));
    await check.statusOf('e-gagnon', new Date('2026-12-02T06:00:00Z'));
    expect(employees.asked.map((a) => [a.employeeId, a.at.toISOString()])).toEqual([
      ['e-gagnon', NOON.toISOString()],
      ['e-roy', NOON.toISOString()],
      ['e-gagnon', '2026-12-02T06:00:00.000Z'],
    ]);
  });

  it('lets concurrent requests of one employee share the look-up under way', async () => {
    const employees = subgraph();
    const check = new EmploymentCheck(employees, 1000, () => 0);
    const answers = await Promise.all([check.statusOf('e-gagnon', NOON), check.statusOf('e-gagnon', NOON), check.statusOf('e-gagnon', NOON)]);
    expect(answers).toEqual([EMPLOYED, EMPLOYED, EMPLOYED]);
    expect(employees.asked).toHaveLength(1);
  });

  it('keeps no failed look-up: the next request asks again', async () => {
    const employees = subgraph(new Error('employee subgraph down'));
    const check = new EmploymentCheck(employees, 1000, () => 0);
    await expect(check.statusOf('e-gagnon', NOON)).rejects.toThrow('employee subgraph down');
    employees.state.answer = EMPLOYED;
    expect(await check.statusOf('e-gagnon', NOON)).toEqual(EMPLOYED);
    expect(employees.asked).toHaveLength(2);
  });

  it('asks on every request when recheckMs is 0', async () => {
    const employees = subgraph();
    const check = new EmploymentCheck(employees, 0, () => 0);
    await check.statusOf('e-gagnon', NOON);
    await check.statusOf('e-gagnon', NOON);
    expect(employees.asked).toHaveLength(2);
  });
});

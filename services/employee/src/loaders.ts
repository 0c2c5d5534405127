import { keyedLoader, type SqlEntityManager } from '@clinic/service-kit';
import { Employee } from './entities.js';

/** Per-request batch loaders: every employee reference of a request is one SQL statement. */
export function createEmployeeLoaders(em: SqlEntityManager) {
  return {
    employeeById: keyedLoader((ids) => em.find(Employee, { id: { $in: [...ids] } }), (e) => e.id),
  };
}

export type EmployeeLoaders = ReturnType<typeof createEmployeeLoaders>;

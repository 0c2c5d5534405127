import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper/resolverMap.js';
import { assertId, notFound, paginate, type SubgraphContext } from '@clinic/service-kit';
import { Employee } from './entities.js';
import type { EmployeeLoaders } from './loaders.js';

type Context = SubgraphContext<EmployeeLoaders>;

export const resolvers: GraphQLResolverMap<Context> = {
  Query: {
    employee: async (_: unknown, { id }: { id: string }, ctx: Context) => {
      const employee = await ctx.loaders.employeeById.load(assertId(id));
      if (!employee) throw notFound('employee', id);
      return employee;
    },
    employees: async (_: unknown, args: { first?: number | null; after?: string | null }, ctx: Context) => {
      const page = await paginate(ctx.em, Employee, {}, {
        first: args.first ?? null,
        after: args.after ?? null,
        orderBy: { lastName: 'asc', firstName: 'asc', id: 'asc' },
        // The staff directory is readable by every reader, its order too; cursors are sealed all the same.
        cursors: { seal: ctx.cursors, scope: 'employees|name' },
      });
      for (const employee of page.nodes) ctx.loaders.employeeById.prime(employee.id, employee);
      return page;
    },
  },
  Employee: {
    __resolveReference: (ref: { id: string }, ctx: Context) => ctx.loaders.employeeById.load(ref.id),
  },
};

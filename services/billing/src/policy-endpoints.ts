import { idList, objectBody, type InternalHandler } from '@clinic/service-kit';
import { Invoice } from './entities.js';

/** Gateway-only policy data of the billing subgraph: whose invoice is it? */
export const billingPolicyEndpoints: Record<string, InternalHandler> = {
  'invoice-owners': async (body, em) => {
    const ids = idList(objectBody(body).ids, 'ids');
    const invoices = ids.length ? await em.createQueryBuilder(Invoice).select(['id', 'patientId']).where({ id: { $in: ids } }).execute('all') : [];
    return { owners: Object.fromEntries(invoices.map((i) => [i.id, i.patientId])) };
  },
};

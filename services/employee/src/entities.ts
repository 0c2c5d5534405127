import { defineEntity, type InferEntity } from '@mikro-orm/core';

export const Employee = defineEntity({
  name: 'Employee',
  tableName: 'employee',
  properties: (p) => ({
    id: p.string().primary(),
    firstName: p.string(),
    lastName: p.string(),
    jobTitle: p.string().nullable(),
    role: p.string(),
    workEmail: p.string().nullable(),
    workPhone: p.string().nullable(),
    homeAddress: p.string().nullable(),
    personalPhone: p.string().nullable(),
    dateOfBirth: p.string().nullable(),
    hireDate: p.string(),
    terminationDate: p.string().nullable(),
    socialInsuranceNumber: p.string().nullable(),
    salary: p.double().nullable(),
    bankAccount: p.string().nullable(),
  }),
});
export type Employee = InferEntity<typeof Employee>;

export const entities = [Employee];

import type { Check } from './checks.js';

/** The category of information a field belongs to, as its rule says (`Patient.phone` → CONTACT). */
export function categoryOf(rules: Record<string, Record<string, Check[]>>) {
  return (coordinate: string): string | undefined => {
    const [type, field] = coordinate.split('.');
    return type && field ? rules[type]?.[field]?.find((c) => c.category)?.category : undefined;
  };
}

import { createHash } from 'node:crypto';
import type { ExperimentSpec } from '../experiments/spec';

/**
 * The key under which a run can be found again by its settings, or null when the run cannot be
 * reproduced. Without a seed the weights start random, so two runs with equal settings give
 * different numbers and offering one as the other's result would mislead.
 */
export function reproducibleSpecHash(spec: ExperimentSpec): string | null {
  if (spec.seed === null) return null;
  return createHash('sha256').update(canonicalJson(spec)).digest('hex');
}

/** JSON with object keys sorted, so equal values always give the same text. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, inner: unknown) => {
    if (inner === null || typeof inner !== 'object' || Array.isArray(inner)) return inner;
    const entries = Object.entries(inner).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return Object.fromEntries(entries);
  });
}

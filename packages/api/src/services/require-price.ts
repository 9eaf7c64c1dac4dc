import type { ResolvedPrice } from '@tollgate/pricing';
import type { ApiDeps } from '../context';
import { fail } from '../errors';

/**
 * The price a call will be charged at. With cost tracking on, a model without a price is refused
 * before anything is spent: never a silent $0. With it off, an unpriced model is allowed at $0.
 */
export function requirePrice(deps: ApiDeps, provider: string, model: string): ResolvedPrice | null {
  const price = deps.pricer.resolve(provider, model);
  if (price || !deps.costTracking) return price;
  return fail(
    400,
    'UNPRICED_MODEL',
    `No price is known for ${provider} model "${model}". An admin can add one with admin.pricing.set (POST /api/v1/ai/admin/pricing/).`,
    { provider, model },
  );
}

import { tokenSource } from '../clients/http/token.js';

/** Who the stub contract service says it is when it calls lib-craft (the role completeSession allows). */
export const CONTRACT_SERVICE_CLAIMS = { sub: 'contract-service', roles: ['contract-service'], gameServices: '*' } as const;

export interface CraftCallbackOptions {
  /** lib-craft base URLs (no trailing slash), tried in turn from a rotating start. */
  baseUrls: string[];
  /** A static bearer token... */
  token: string | null;
  /** ...or the HS256 secret to mint short-lived contract-service tokens with. */
  jwtSecret: string | null;
  timeoutMs: number;
}

/** A bearer for the callback: the static one, or a contract-service token minted with the secret (lib-craft as audience). */
export function bearerSource(opts: Pick<CraftCallbackOptions, 'token' | 'jwtSecret'>): () => Promise<string | null> {
  const tokens = tokenSource(opts, CONTRACT_SERVICE_CLAIMS);
  return () => tokens('lib-craft');
}

/**
 * The contract's prebound call over HTTP: `POST <base><path>` with the body. Each lib-craft
 * instance is tried in turn until one answers below 500; a 2xx is success, any other answer
 * or every instance failing throws (the contract stub logs it, and lib-craft's own recovery
 * completes the session later).
 */
export function createCraftCallback(opts: CraftCallbackOptions): (path: string, body: Record<string, unknown>) => Promise<void> {
  const bearer = bearerSource(opts);
  let next = 0;
  return async (path, body) => {
    const bases = opts.baseUrls;
    if (bases.length === 0) throw new Error(`no STUBS_CRAFT_URL: cannot call ${path}`);
    const token = await bearer();
    const start = next++ % bases.length;
    const failures: string[] = [];
    for (let i = 0; i < bases.length; i++) {
      const base = bases[(start + i) % bases.length]!;
      let response: Response;
      try {
        response = await fetch(`${base}${path}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...(token && { authorization: `Bearer ${token}` }) },
          body: JSON.stringify(body),
          signal: AbortSignal.timeout(opts.timeoutMs),
        });
      } catch (err) {
        failures.push(`${base}: ${(err as Error).message}`);
        continue;
      }
      const text = await response.text().catch(() => '');
      if (response.status >= 500) {
        failures.push(`${base}: ${response.status}`);
        continue;
      }
      if (response.ok) return;
      throw new Error(`${base}${path} answered ${response.status}: ${text.slice(0, 500)}`);
    }
    throw new Error(`no lib-craft instance completed ${path}: ${failures.join('; ')}`);
  };
}

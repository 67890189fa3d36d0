import type { NextFunction, Request, Response } from 'express';
import { jwtVerify, SignJWT } from 'jose';
import { forbidden, notFound, unauthorized } from './errors.js';
import { textProblem } from './json-guard.js';
import type { TenantRepository } from '../db/tenant-repository.js';

export type Principal = { role: 'admin' } | { role: 'tenant'; tenantId: string };

declare module 'express-serve-static-core' {
  interface Request {
    principal?: Principal;
  }
}

const ISSUER = 'outpost';
const TOKEN_TTL_SECONDS = 24 * 3600;

export interface AuthOptions {
  /** Empty: every caller is admin and nothing is checked (Outpost's "VPC mode"). */
  readonly apiKey: string;
  /** Empty: tenant tokens are neither issued nor accepted. */
  readonly jwtSecret: string;
  readonly deploymentId: string;
}

/** Mints the 24 h tenant token of GET /tenants/{id}/token (HS256, iss=outpost, sub=tenant). */
export async function signTenantToken(options: AuthOptions, tenantId: string): Promise<string> {
  const jwt = new SignJWT(options.deploymentId ? { deployment_id: options.deploymentId } : {})
    .setProtectedHeader({ alg: 'HS256' })
    .setIssuer(ISSUER)
    .setSubject(tenantId)
    .setIssuedAt()
    .setExpirationTime(`${TOKEN_TTL_SECONDS}s`);
  return jwt.sign(new TextEncoder().encode(options.jwtSecret));
}

/** Bearer auth: the admin API key, else a tenant JWT. Sets `req.principal`. */
export function authenticate(options: AuthOptions) {
  const key = new TextEncoder().encode(options.jwtSecret);
  return async (req: Request, _res: Response, next: NextFunction): Promise<void> => {
    if (!options.apiKey) {
      req.principal = { role: 'admin' };
      return next();
    }
    const header = req.headers.authorization ?? '';
    const token = header.startsWith('Bearer ') ? header.slice(7).trim() : '';
    if (!token) throw unauthorized();
    if (token === options.apiKey) {
      req.principal = { role: 'admin' };
      return next();
    }
    if (!options.jwtSecret) throw unauthorized();
    try {
      const { payload } = await jwtVerify(token, key, { issuer: ISSUER, algorithms: ['HS256'] });
      if (typeof payload.sub !== 'string' || !payload.sub) throw unauthorized();
      req.principal = { role: 'tenant', tenantId: payload.sub };
    } catch {
      throw unauthorized();
    }
    next();
  };
}

export function requireAdmin(req: Request, _res: Response, next: NextFunction): void {
  if (req.principal?.role !== 'admin') throw forbidden();
  next();
}

/**
 * For `/tenants/:tenant_id/...`: a tenant token reaches only its own tenant, and the tenant must
 * exist (admin: 404 tenant not found; a token for a deleted tenant: 401). An id no tenant can have
 * (NUL) is not looked up at all.
 */
export function tenantScope(tenants: TenantRepository, options: { allowMissing?: boolean } = {}) {
  return async (req: Request, _res: Response, next: NextFunction): Promise<void> => {
    const tenantId = String(req.params.tenant_id);
    const principal = req.principal;
    if (principal?.role === 'tenant' && principal.tenantId !== tenantId) throw forbidden();
    if (!options.allowMissing && (textProblem(tenantId) !== null || !(await tenants.get(tenantId)))) {
      throw principal?.role === 'tenant' ? unauthorized() : notFound('tenant not found');
    }
    next();
  };
}

/** The tenant a list/get query is confined to: a token's own tenant, or what the admin asked for. */
export function scopedTenantIds(req: Request, requested: string[] | undefined): string[] | undefined {
  const principal = req.principal;
  if (principal?.role !== 'tenant') return requested;
  if (requested && requested.some((id) => id !== principal.tenantId)) throw forbidden();
  return [principal.tenantId];
}

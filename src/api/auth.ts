import type { NextFunction, Request, Response } from 'express';
import { jwtVerify, SignJWT } from 'jose';
import { forbidden, notFound, unauthorized } from './errors.js';
import { textProblem } from './json-guard.js';
import type { TenantRepository } from '../db/tenant-repository.js';
import { MAX_TENANT_ID_LENGTH, asciiIdProblem } from '../domain/id-limits.js';
import type { Tenant } from '../domain/types.js';

/** A tenant principal's tenant was live when the request was authenticated. */
export type Principal = { role: 'admin' } | { role: 'tenant'; tenantId: string };

declare module 'express-serve-static-core' {
  interface Request {
    principal?: Principal;
  }
}

const ISSUER = 'outpost';
const TOKEN_TTL_SECONDS = 24 * 3600;

/**
 * The tenant's creation time (epoch ms) at minting. A tenant deleted and re-created under the same
 * id is a new tenant (a new creation time), and a token minted for the old one must not reach it.
 */
const TENANT_CREATED_CLAIM = 'tenant_created_at';

export interface AuthOptions {
  /** Empty: every caller is admin and nothing is checked (Outpost's "VPC mode"). */
  readonly apiKey: string;
  /** Empty: tenant tokens are neither issued nor accepted. */
  readonly jwtSecret: string;
  readonly deploymentId: string;
}

/** Mints the 24 h tenant token of GET /tenants/{id}/token (HS256, iss=outpost, sub=tenant). */
export async function signTenantToken(options: AuthOptions, tenant: Pick<Tenant, 'id' | 'createdAt'>): Promise<string> {
  const claims = {
    ...(options.deploymentId ? { deployment_id: options.deploymentId } : {}),
    [TENANT_CREATED_CLAIM]: tenant.createdAt.getTime(),
  };
  const jwt = new SignJWT(claims)
    .setProtectedHeader({ alg: 'HS256' })
    .setIssuer(ISSUER)
    .setSubject(tenant.id)
    .setIssuedAt()
    .setExpirationTime(`${TOKEN_TTL_SECONDS}s`);
  return jwt.sign(new TextEncoder().encode(options.jwtSecret));
}

interface TenantClaims {
  readonly tenantId: string;
  /** Absent in tokens minted before the claim existed (they expire within a day). */
  readonly tenantCreatedAt: number | undefined;
}

/** The claims of a valid, unexpired tenant token, or null. Tokens without `exp` are refused. */
async function verifyTenantToken(token: string, key: Uint8Array): Promise<TenantClaims | null> {
  try {
    const { payload } = await jwtVerify(token, key, { issuer: ISSUER, algorithms: ['HS256'], requiredClaims: ['exp', 'sub'] });
    const tenantId = payload.sub;
    if (typeof tenantId !== 'string' || asciiIdProblem(tenantId, MAX_TENANT_ID_LENGTH) !== null) return null;
    const createdAt = payload[TENANT_CREATED_CLAIM];
    if (createdAt !== undefined && typeof createdAt !== 'number') return null;
    return { tenantId, tenantCreatedAt: createdAt };
  } catch {
    return null;
  }
}

/**
 * Bearer auth: the admin API key, else a tenant JWT. Sets `req.principal`.
 *
 * A token ends with its tenant: it must carry `exp`, and its tenant must be live and the one it was
 * minted for, on every route (one primary-key read per tenant-token request).
 */
export function authenticate(options: AuthOptions, tenants: Pick<TenantRepository, 'get'>) {
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
    const claims = await verifyTenantToken(token, key);
    if (!claims) throw unauthorized();
    // Outside the verification: a database failure is a 500, not a refused token.
    const tenant = await tenants.get(claims.tenantId);
    const sameTenant = claims.tenantCreatedAt === undefined || claims.tenantCreatedAt === tenant?.createdAt.getTime();
    if (!tenant || !sameTenant) throw unauthorized();
    req.principal = { role: 'tenant', tenantId: claims.tenantId };
    next();
  };
}

export function requireAdmin(req: Request, _res: Response, next: NextFunction): void {
  if (req.principal?.role !== 'admin') throw forbidden();
  next();
}

/**
 * For `/tenants/:tenant_id/...`: a tenant token reaches only its own tenant, and the tenant must
 * exist (admin: 404 tenant not found). A token's own tenant was found live by `authenticate`, so it
 * is not read again; an id no tenant can have (NUL) is not looked up at all.
 */
export function tenantScope(tenants: TenantRepository, options: { allowMissing?: boolean } = {}) {
  return async (req: Request, _res: Response, next: NextFunction): Promise<void> => {
    const tenantId = String(req.params.tenant_id);
    const principal = req.principal;
    if (principal?.role === 'tenant') {
      if (principal.tenantId !== tenantId) throw forbidden();
      return next();
    }
    if (!options.allowMissing && (textProblem(tenantId) !== null || !(await tenants.get(tenantId)))) {
      throw notFound('tenant not found');
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

import { Router } from 'express';
import type { AppDeps } from '../app.js';
import { notFound } from '../errors.js';
import { param } from '../validate.js';

/** GET /destination-types, /destination-types/{type}, /topics. */
export function metaRoutes(deps: AppDeps): Router {
  const router = Router();
  router.get('/destination-types', (_req, res) => {
    res.json(deps.registry.metadata());
  });
  router.get('/destination-types/:type', (req, res) => {
    const provider = deps.registry.get(param(req, 'type'));
    if (!provider) throw notFound('destination type not found');
    res.json(provider.metadata);
  });
  router.get('/topics', (_req, res) => {
    res.json(deps.config.topics.configured ?? []);
  });
  return router;
}

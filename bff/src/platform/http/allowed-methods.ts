import type { Context, Next } from 'koa';
import { AppError } from '../errors';
import type { RouteGroup } from './openapi';

type Template = { pattern: RegExp; literals: number; methods: Set<string> };

/**
 * Answers a method a path does not declare with 405 and `Allow`, and OPTIONS with `Allow`,
 * from the same route list the document is built from. Of the templates a path matches, the
 * one with the most literal segments is the path's resource (`/activities/bulk`, not
 * `/activities/:id`), so a GET to an upload endpoint is a 405, not a lookup of id "bulk".
 */
export function allowedMethods(groups: RouteGroup[]) {
  const templates = new Map<string, Template>();
  for (const { basePath, routes } of groups) {
    for (const route of routes) {
      const path = basePath + route.path;
      let template = templates.get(path);
      if (!template) {
        const segments = path.split('/').filter(Boolean);
        template = {
          pattern: new RegExp(`^/${segments.map((s) => (s.startsWith(':') ? '[^/]+' : s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))).join('/')}/?$`),
          literals: segments.filter((s) => !s.startsWith(':')).length,
          methods: new Set(),
        };
        templates.set(path, template);
      }
      template.methods.add(route.method.toUpperCase());
      if (route.method === 'get') template.methods.add('HEAD');
    }
  }
  const resourceOf = (path: string) =>
    [...templates.values()].filter((t) => t.pattern.test(path)).reduce<Template | null>((best, t) => (!best || t.literals > best.literals ? t : best), null);

  return async (ctx: Context, next: Next) => {
    const resource = resourceOf(ctx.path);
    if (!resource) return next();
    const allow = [...resource.methods].join(', ');
    if (ctx.method === 'OPTIONS') {
      ctx.set('Allow', allow);
      ctx.status = 204;
      return;
    }
    if (!resource.methods.has(ctx.method)) {
      ctx.set('Allow', allow);
      throw new AppError('METHOD_NOT_ALLOWED');
    }
    await next();
  };
}

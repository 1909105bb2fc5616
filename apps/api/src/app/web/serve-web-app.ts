import type { Stats } from 'node:fs';
import { stat } from 'node:fs/promises';
import { join, posix } from 'node:path';
import { API_PREFIX } from '@latchkey/auth-contract';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { cacheControlFor } from './cache-control';
import { acceptedCodings, COMPRESSIBLE_TYPES, ContentCoding, PRECOMPRESSED_SUFFIX } from './content-coding';

/** `/api`: everything under it (the versioned API, its docs) is the API's, found or not. */
const API_ROOT = `/${API_PREFIX.split('/')[0]}`.toLowerCase();
const INDEX = 'index.html';

/**
 * The built PWA from `root`, in front of the API's routes: files as they are
 * named, `index.html` for client routes (paths without an extension, outside
 * `/api`), and a `.br` / `.gz` variant made at build time when the request
 * accepts it. Anything else (unknown files, other methods, `/api/…`) goes on
 * to Nest, whose 404 is JSON — so a missing chunk is never answered with HTML.
 *
 * Files are always sent relative to `root`: `send` refuses an absolute path
 * with a dot segment, which would 404 every route of a checkout under `~/.cache/…`.
 */
export function serveWebApp(root: string): RequestHandler {
  return (req, res, next) => {
    const file = fileFor(req);
    if (file === null) return next();
    sendBestVariant(root, file, req, res, next).catch(next);
  };
}

/** The file under the web root that answers `req`, or null when the web app has nothing to say. */
function fileFor(req: Request): string | null {
  if (req.method !== 'GET' && req.method !== 'HEAD') return null;
  const lowerPath = req.path.toLowerCase();
  if (lowerPath === API_ROOT || lowerPath.startsWith(`${API_ROOT}/`)) return null;
  let segments: string[];
  try {
    segments = decodeURIComponent(req.path).split('/').filter(Boolean);
  } catch {
    return null;
  }
  // Dotfiles, `..`, and names that are not plain file names are never the web app's.
  if (segments.some((s) => s.startsWith('.') || /[\\\0]/.test(s))) return null;
  const name = segments.at(-1) ?? '';
  if (!posix.extname(name)) return INDEX;
  // The precompressed variants are only ever sent in place of their original.
  if (isPrecompressedVariant(name)) return null;
  return segments.join('/');
}

function isPrecompressedVariant(name: string): boolean {
  return Object.values(PRECOMPRESSED_SUFFIX).some((suffix) => name.endsWith(suffix) && COMPRESSIBLE_TYPES.has(posix.extname(name.slice(0, -suffix.length))));
}

async function sendBestVariant(root: string, file: string, req: Request, res: Response, next: NextFunction): Promise<void> {
  const original = await statFile(join(root, file));
  if (!original) return next();
  const type = COMPRESSIBLE_TYPES.get(posix.extname(file));
  let chosen: { path: string; stats: Stats; coding?: ContentCoding } = { path: file, stats: original };
  if (type) {
    for (const coding of acceptedCodings(req.headers['accept-encoding'])) {
      const path = file + PRECOMPRESSED_SUFFIX[coding];
      const stats = await statFile(join(root, path));
      if (stats) {
        chosen = { path, stats, coding };
        break;
      }
    }
  }
  const headers: Record<string, string> = {
    'Cache-Control': cacheControlFor(file),
    // The app turns Express's ETags off for API answers; files keep one, per variant.
    ETag: `W/"${chosen.stats.size.toString(16)}-${chosen.stats.mtime.getTime().toString(16)}"`,
  };
  if (type) {
    headers['Content-Type'] = type;
    headers['Vary'] = 'Accept-Encoding';
  }
  if (chosen.coding) headers['Content-Encoding'] = chosen.coding;
  // `headers` are applied only once the file is found and about to be sent.
  res.sendFile(chosen.path, { root, headers }, (error?: Error & { status?: number; code?: string }) => {
    if (!error || res.headersSent) return;
    if (error.status === 404 || error.code === 'ENOENT' || error.code === 'EISDIR') return next();
    next(error);
  });
}

async function statFile(path: string): Promise<Stats | null> {
  try {
    const stats = await stat(path);
    return stats.isFile() ? stats : null;
  } catch {
    return null;
  }
}

import { CacheStorageLike } from './browser-apis';

/**
 * Angular's service worker names data-group caches `ngsw:<scope>:<version>:data:<group>:cache`
 * (and their tables `ngsw:<scope>:db:<version>:data:<group>:lru|age`). App-shell caches
 * (`…:assets:…`) hold no user data and stay.
 */
export function isServiceWorkerDataCache(name: string): boolean {
  return name.startsWith('ngsw:') && name.includes(':data:');
}

export async function clearServiceWorkerDataCaches(caches: CacheStorageLike | null): Promise<void> {
  if (!caches) return;
  try {
    const names = await caches.keys();
    await Promise.all(names.filter(isServiceWorkerDataCache).map((name) => caches.delete(name)));
  } catch {
    // Cache storage unavailable (private mode, insecure origin): nothing was cached.
  }
}

import { Header } from '@nestjs/common';

/**
 * `Cache-Control: no-store` on a route's answer: for user data that sets no
 * cookie (routes that do set cookies get it from AuthCookieInterceptor). A
 * plain header, not an interceptor: an interceptor costs an authenticated
 * read about a tenth of its CPU.
 */
export const NoStore = () => Header('Cache-Control', 'no-store');

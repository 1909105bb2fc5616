import { Header } from '@nestjs/common';

/**
 * `Cache-Control: no-store` on a route's answer: for user data that sets no
 * cookie (responses that set the auth cookies get it from CookieService). A
 * plain header, not an interceptor: on Node 20 Nest's interceptor pipeline
 * cost an authenticated read nearly half its CPU.
 */
export const NoStore = () => Header('Cache-Control', 'no-store');

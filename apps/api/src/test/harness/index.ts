/** The one HTTP harness of the API's tests: every spec talks to its server through a Browser. */
export * from './browser';
export * from './cookie-jar';
export * from './expect-error';
export * from './http';
export * from './jwt';
export * from './set-cookie';
export * from './wait';

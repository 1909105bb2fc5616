import { QueryFailedError } from 'typeorm';

/** Node socket errors that mean "the database is not reachable right now". */
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);
/** SQLSTATE classes/codes: connection exception, operator intervention, cannot connect now. */
const UNAVAILABLE_SQLSTATE = /^(08...|57P0[1-4]|53300|57014)$/;
const UNAVAILABLE_MESSAGE = /Connection terminated|timeout exceeded when trying to connect|Query read timeout|connect ECONNREFUSED|Client has encountered a connection error|Connection is not established|PGlite is closed|not initialized|MaxRetriesPerRequest|Connection is closed|Stream isn't writeable|Cannot use a pool after calling end/i;

/** True when an error comes from losing the database, not from the request. */
export function isDatabaseUnavailable(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e && depth < 4; depth++) {
    const { code, message } = e as { code?: unknown; message?: unknown };
    if (typeof code === 'string' && (NETWORK_CODES.has(code) || UNAVAILABLE_SQLSTATE.test(code))) return true;
    if (typeof message === 'string' && UNAVAILABLE_MESSAGE.test(message)) return true;
    e = e instanceof QueryFailedError ? e.driverError : (e as { cause?: unknown }).cause;
  }
  return false;
}

import { generateOpaqueToken, hashOpaqueToken, isWellFormedOpaqueToken } from './opaque-token';

/** A refresh token is an opaque token (256 bits, base64url; SHA-256 stored). */
export const generateRefreshToken = generateOpaqueToken;
export const hashRefreshToken = hashOpaqueToken;
export const isWellFormedRefreshToken = isWellFormedOpaqueToken;

import { ValidationPipe } from '@nestjs/common';

/** Unknown fields are refused, not silently dropped. */
export function authValidationPipe(): ValidationPipe {
  return new ValidationPipe({ whitelist: true, forbidNonWhitelisted: true, transform: true });
}

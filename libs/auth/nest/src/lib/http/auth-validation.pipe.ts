import { type ArgumentMetadata, Injectable, Optional, ValidationPipe, type ValidationPipeOptions } from '@nestjs/common';
import { ValidationError } from 'class-validator';
import { isContainer } from './json-depth.middleware';

/**
 * Keys that class-transformer and Nest's pipe delete without a word (they could
 * pollute prototypes), so `forbidNonWhitelisted` never gets to refuse them.
 */
const SILENTLY_DROPPED_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * Nest's ValidationPipe as Latchkey validates input, for its own controllers
 * and as the host app's global pipe: unknown fields are refused, not silently
 * dropped — `__proto__`, `constructor` and `prototype` included, at any depth,
 * with the message any other unknown field gets.
 *
 * @example app.useGlobalPipes(new AuthValidationPipe());
 */
@Injectable()
export class AuthValidationPipe extends ValidationPipe {
  /** Set up with Latchkey's rules alone: its output needs no second check by a pipe like it. */
  private readonly hasOwnRulesOnly: boolean;

  constructor(@Optional() options: ValidationPipeOptions = {}) {
    super({ whitelist: true, forbidNonWhitelisted: true, transform: true, ...options });
    this.hasOwnRulesOnly = Object.keys(options).length === 0;
  }

  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (this.hasOwnRulesOnly && isContainer(value) && VALIDATED.has(value)) return value;
    const validated = this.expectedType ? { ...metadata, metatype: this.expectedType } : metadata;
    if (validated.metatype && this.toValidate(validated)) {
      const dropped = droppedKeyErrors(value);
      if (dropped.length > 0) throw await this.exceptionFactory(dropped);
    }
    const result = await super.transform(value, metadata);
    if (this.hasOwnRulesOnly && isContainer(result) && result !== value) VALIDATED.add(result);
    return result;
  }
}

/**
 * DTOs a pipe with Latchkey's own rules made. On Latchkey's routes a host's
 * global pipe and the controller's own both see the body; the second would
 * only transform and validate it again. Only the pipe's own output is here,
 * never an object a client could send.
 */
const VALIDATED = new WeakSet<object>();

/**
 * One error per silently dropped key, nested under its parents' properties as
 * class-validator nests errors, so the pipe's messages name the path.
 */
function droppedKeyErrors(value: unknown): ValidationError[] {
  return droppedKeyPaths(value).map((path) => {
    const key = path[path.length - 1];
    let error = validationError(key, { whitelistValidation: `property ${key} should not exist` });
    for (let i = path.length - 2; i >= 0; i--) error = validationError(path[i], undefined, [error]);
    return error;
  });
}

interface Visit {
  value: unknown;
  key: string;
  parent: Visit | null;
}

/** Where the dropped keys are (`['address', '__proto__']`). Iterative: the body's depth is the client's choice. */
function droppedKeyPaths(value: unknown): string[][] {
  const found: string[][] = [];
  const pending: Visit[] = [{ value, key: '', parent: null }];
  for (let visit = pending.pop(); visit; visit = pending.pop()) {
    if (typeof visit.value !== 'object' || visit.value === null) continue;
    for (const key of Object.keys(visit.value)) {
      if (SILENTLY_DROPPED_KEYS.has(key)) found.push([...pathOf(visit), key]);
      else pending.push({ value: (visit.value as Record<string, unknown>)[key], key, parent: visit });
    }
  }
  return found.sort((a, b) => (a.join('.') < b.join('.') ? -1 : 1));
}

function pathOf(visit: Visit): string[] {
  const path: string[] = [];
  for (let at: Visit | null = visit; at?.parent; at = at.parent) path.unshift(at.key);
  return path;
}

function validationError(property: string, constraints?: Record<string, string>, children: ValidationError[] = []): ValidationError {
  return Object.assign(new ValidationError(), { property, constraints, children });
}

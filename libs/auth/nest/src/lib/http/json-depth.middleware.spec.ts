import { BadRequestException } from '@nestjs/common';
import type { Request, Response } from 'express';
import { isNestedDeeperThan, MAX_JSON_DEPTH, refuseDeepJson } from './json-depth.middleware';

/** `depth` levels of `open` … `leaf` … `close` (default: objects; `{}` is one level). */
function nested(depth: number, open = '{"a":', leaf = '{}', close = '}'): unknown {
  return JSON.parse(`${open.repeat(depth - 1)}${leaf}${close.repeat(depth - 1)}`);
}

describe('isNestedDeeperThan', () => {
  it.each([
    { name: 'a string', value: 'text', depth: 0 },
    { name: 'null', value: null, depth: 0 },
    { name: 'a number', value: 42, depth: 0 },
    { name: 'an empty object', value: {}, depth: 1 },
    { name: 'an empty array', value: [], depth: 1 },
    { name: 'a flat object', value: { email: 'a@example.com', password: 'x', name: null }, depth: 1 },
    { name: 'an object in an array', value: [{ a: 1 }], depth: 2 },
  ])('$name is $depth levels deep', ({ value, depth }) => {
    expect(isNestedDeeperThan(value, depth)).toBe(false);
    if (depth > 0) expect(isNestedDeeperThan(value, depth - 1)).toBe(true);
  });

  it('counts objects and arrays alike', () => {
    expect(isNestedDeeperThan(nested(64, '[', '[]', ']'), 64)).toBe(false);
    expect(isNestedDeeperThan(nested(65, '[', '[]', ']'), 64)).toBe(true);
    expect(isNestedDeeperThan(nested(64, '{"a":[', '{}', ']}'), 127)).toBe(false);
    expect(isNestedDeeperThan(nested(64, '{"a":[', '{}', ']}'), 126)).toBe(true);
  });

  it('finds the deep branch among wide shallow ones', () => {
    const body = { ...Object.fromEntries(Array.from({ length: 1000 }, (_, i) => [`k${i}`, { v: i }])), deep: nested(64) };
    expect(isNestedDeeperThan(body, 64)).toBe(true);
    expect(isNestedDeeperThan(body, 65)).toBe(false);
  });

  it('looks into __proto__ keys, which JSON.parse makes own properties', () => {
    expect(isNestedDeeperThan(JSON.parse('{"__proto__": {"a": {"b": {}}}}'), 3)).toBe(true);
  });

  it('walks 100,000 levels without overflowing the stack', () => {
    expect(isNestedDeeperThan(nested(100_000, '[', '[]', ']'), MAX_JSON_DEPTH)).toBe(true);
    expect(isNestedDeeperThan(nested(100_000), 100_000)).toBe(false);
  });
});

describe('refuseDeepJson', () => {
  const run = (body: unknown) => {
    const next = jest.fn();
    refuseDeepJson()({ body } as Request, {} as Response, next);
    expect(next).toHaveBeenCalledTimes(1);
    return next.mock.calls[0][0] as unknown;
  };

  it('passes a body of 64 levels on', () => {
    expect(run(nested(64))).toBeUndefined();
    expect(run(undefined)).toBeUndefined();
  });

  it('answers a body of 65 levels with a 400 saying why', () => {
    const error = run(nested(65));
    expect(error).toBeInstanceOf(BadRequestException);
    expect((error as BadRequestException).getResponse()).toEqual({
      statusCode: 400,
      message: 'The request body is nested deeper than 64 levels',
      error: 'Bad Request',
    });
  });

  it('takes another limit', () => {
    const next = jest.fn();
    refuseDeepJson(2)({ body: { a: { b: {} } } } as Request, {} as Response, next);
    expect(next.mock.calls[0][0]).toBeInstanceOf(BadRequestException);
  });
});

import { BadRequestException, type ArgumentMetadata } from '@nestjs/common';
import { Type } from 'class-transformer';
import { IsOptional, IsString, ValidateNested } from 'class-validator';
import { AuthValidationPipe } from './auth-validation.pipe';

class Address {
  @IsString()
  city!: string;
}

class Person {
  @IsString()
  name!: string;

  @IsOptional()
  @ValidateNested()
  @Type(() => Address)
  address?: Address;

  @IsOptional()
  @ValidateNested({ each: true })
  @Type(() => Address)
  homes?: Address[];
}

const asBody: ArgumentMetadata = { type: 'body', metatype: Person };

async function messagesFor(json: string): Promise<unknown> {
  try {
    await new AuthValidationPipe().transform(JSON.parse(json), asBody);
  } catch (error) {
    expect(error).toBeInstanceOf(BadRequestException);
    return ((error as BadRequestException).getResponse() as { message: unknown }).message;
  }
  throw new Error('the pipe accepted it');
}

describe('AuthValidationPipe', () => {
  it('turns a valid body into the DTO', async () => {
    const person = (await new AuthValidationPipe().transform({ name: 'Ada', address: { city: 'London' } }, asBody)) as Person;
    expect(person).toBeInstanceOf(Person);
    expect(person.address).toBeInstanceOf(Address);
  });

  it('refuses unknown fields, as forbidNonWhitelisted does', async () => {
    expect(await messagesFor('{"name": "Ada", "isAdmin": true}')).toEqual(['property isAdmin should not exist']);
  });

  it('names a nested unknown field the way Nest does', async () => {
    expect(await messagesFor('{"name": "Ada", "address": {"city": "London", "zip": 1}}')).toEqual(['address.property zip should not exist']);
  });

  it.each([
    ['__proto__ at the top', '{"name": "Ada", "__proto__": {"isAdmin": true}}', ['property __proto__ should not exist']],
    ['constructor at the top', '{"name": "Ada", "constructor": "x"}', ['property constructor should not exist']],
    ['prototype at the top', '{"name": "Ada", "prototype": {}}', ['property prototype should not exist']],
    ['__proto__ in a nested DTO', '{"name": "Ada", "address": {"city": "London", "__proto__": {"x": 1}}}', ['address.property __proto__ should not exist']],
    ['constructor in an array of DTOs', '{"name": "Ada", "homes": [{"city": "Paris"}, {"city": "Rome", "constructor": {}}]}', ['homes.1.property constructor should not exist']],
    ['both, deep in a value', '{"name": {"a": [{"__proto__": 1, "constructor": 2}]}}', ['name.a.0.property __proto__ should not exist', 'name.a.0.property constructor should not exist']],
  ])('refuses %s, which class-transformer would drop silently', async (_case, json, messages) => {
    expect(await messagesFor(json)).toEqual(messages);
    expect(({} as Record<string, unknown>)['isAdmin']).toBeUndefined();
  });

  it('a body it already validated passes a second Latchkey pipe as it is (the host’s global pipe and a controller’s own), checked once', async () => {
    const validate = jest.spyOn(AuthValidationPipe.prototype as unknown as { validate: () => unknown }, 'validate');
    try {
      const first = await new AuthValidationPipe().transform({ name: 'Ada', address: { city: 'London' } }, asBody);
      const second = await new AuthValidationPipe().transform(first, asBody);
      expect(second).toBe(first);
      expect(validate).toHaveBeenCalledTimes(1);
      // A pipe set up otherwise checks by its own rules.
      await new AuthValidationPipe({ stopAtFirstError: true }).transform(first, asBody);
      expect(validate).toHaveBeenCalledTimes(2);
    } finally {
      validate.mockRestore();
    }
  });

  it('a look-alike of a validated body is validated afresh', async () => {
    const first = (await new AuthValidationPipe().transform({ name: 'Ada' }, asBody)) as Person;
    const tampered = Object.assign(Object.create(Person.prototype) as Person, first, { isAdmin: true });
    await expect(new AuthValidationPipe().transform(tampered, asBody)).rejects.toBeInstanceOf(BadRequestException);
  });

  it('leaves values it does not validate alone', async () => {
    const raw = JSON.parse('{"__proto__": 1}');
    expect(await new AuthValidationPipe().transform(raw, { type: 'custom' })).toBe(raw);
  });
});

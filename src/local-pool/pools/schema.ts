// The attribute schema of a pool: CreateUserPool's Schema and AddCustomAttributes read through the same
// rules, the values users are given held to each attribute's type and constraints, and GetCSVHeader's columns.
import { CognitoError, Errors } from '../api/errors.js';
import { isPlainObject, Validator, type JsonObject } from '../api/validation.js';
import type { SchemaAttribute } from '../store/model.js';

export const STANDARD_ATTRIBUTES = [
  'sub', 'name', 'given_name', 'family_name', 'middle_name', 'nickname', 'preferred_username', 'profile',
  'picture', 'website', 'email', 'email_verified', 'gender', 'birthdate', 'zoneinfo', 'locale',
  'phone_number', 'phone_number_verified', 'address', 'updated_at',
] as const;

const isStandard = (name: string): boolean => (STANDARD_ATTRIBUTES as readonly string[]).includes(name);

/** Cognito's limit on custom attributes in one pool. */
export const MAX_CUSTOM_ATTRIBUTES = 50;
/** AddCustomAttributes takes 1-25 at a time (CustomAttributesListType). */
const MAX_ADDED_AT_ONCE = 25;
/** A string attribute's longest value, and the default MaxLength (Cognito's AttributeValueType). */
const MAX_STRING_LENGTH = 2048;
const CUSTOM_NAME = { min: 1, max: 20, pattern: /^[\p{L}\p{M}\p{S}\p{N}\p{P}]+$/u, patternText: '[\\p{L}\\p{M}\\p{S}\\p{N}\\p{P}]+' };
const DATA_TYPES = ['String', 'Number', 'DateTime', 'Boolean'] as const;

const isCustom = (attribute: SchemaAttribute): boolean => attribute.Name.startsWith('custom:');
const INTEGER = /^-?\d+$/;

function readLength(value: string | undefined, member: string): number | undefined {
  if (value === undefined) return undefined;
  const length = /^\d{1,4}$/.test(value) ? Number(value) : Number.NaN;
  if (!(length <= MAX_STRING_LENGTH)) {
    throw Errors.invalidParameter(`StringAttributeConstraints.${member} must be a whole number from 0 to ${MAX_STRING_LENGTH}; got '${value}'.`);
  }
  return length;
}

function readBound(value: string | undefined, member: string): bigint | undefined {
  if (value === undefined) return undefined;
  if (!INTEGER.test(value) || value.length > 310) {
    throw Errors.invalidParameter(`NumberAttributeConstraints.${member} must be a whole number; got '${value}'.`);
  }
  return BigInt(value);
}

/** A custom attribute's constraints must fit its type; a standard attribute's are kept as declared. */
function readConstraints(entry: JsonObject, attribute: SchemaAttribute): Pick<SchemaAttribute, 'NumberAttributeConstraints' | 'StringAttributeConstraints'> {
  const v = new Validator(entry);
  const numbers = v.optionalObject('NumberAttributeConstraints');
  const strings = v.optionalObject('StringAttributeConstraints');
  v.done();
  const out: Pick<SchemaAttribute, 'NumberAttributeConstraints' | 'StringAttributeConstraints'> = {};
  if (numbers) {
    if (attribute.AttributeDataType !== 'Number' && isCustom(attribute)) {
      throw Errors.invalidParameter(`${attribute.Name}: NumberAttributeConstraints apply only to attributes of AttributeDataType Number.`);
    }
    const n = new Validator(numbers);
    const min = n.optionalString('MinValue');
    const max = n.optionalString('MaxValue');
    n.done();
    const low = readBound(min, 'MinValue');
    const high = readBound(max, 'MaxValue');
    if (low !== undefined && high !== undefined && low > high) {
      throw Errors.invalidParameter(`${attribute.Name}: NumberAttributeConstraints.MinValue is greater than MaxValue.`);
    }
    out.NumberAttributeConstraints = { ...(min !== undefined ? { MinValue: min } : {}), ...(max !== undefined ? { MaxValue: max } : {}) };
  }
  if (strings) {
    if (attribute.AttributeDataType !== 'String' && isCustom(attribute)) {
      throw Errors.invalidParameter(`${attribute.Name}: StringAttributeConstraints apply only to attributes of AttributeDataType String.`);
    }
    const s = new Validator(strings);
    const min = s.optionalString('MinLength');
    const max = s.optionalString('MaxLength');
    s.done();
    const shortest = readLength(min, 'MinLength');
    const longest = readLength(max, 'MaxLength');
    if (shortest !== undefined && longest !== undefined && shortest > longest) {
      throw Errors.invalidParameter(`${attribute.Name}: StringAttributeConstraints.MinLength is greater than MaxLength.`);
    }
    out.StringAttributeConstraints = { ...(min !== undefined ? { MinLength: min } : {}), ...(max !== undefined ? { MaxLength: max } : {}) };
  }
  return out;
}

/**
 * One SchemaAttributeType. A standard name declares that attribute (Required, Mutable ...) unless
 * `alwaysCustom`; any other name is `custom:<Name>` (a `custom:` prefix given is not doubled).
 */
function readAttribute(entry: unknown, index: number, alwaysCustom: boolean): SchemaAttribute {
  if (!isPlainObject(entry)) throw Errors.serialization(`Schema.${index + 1} must be a structure`);
  const v = new Validator(entry);
  const rawName = v.requiredString('Name', CUSTOM_NAME);
  const type = v.optionalString('AttributeDataType', { oneOf: DATA_TYPES });
  const required = v.optionalBoolean('Required') ?? false;
  const mutable = v.optionalBoolean('Mutable') ?? true;
  const developerOnly = v.optionalBoolean('DeveloperOnlyAttribute') ?? false;
  v.done();
  const attribute: SchemaAttribute = {
    Name: !alwaysCustom && isStandard(rawName) ? rawName : `custom:${rawName.replace(/^custom:/, '')}`,
    AttributeDataType: (type as SchemaAttribute['AttributeDataType'] | undefined) ?? 'String',
    Mutable: mutable,
    Required: required,
    DeveloperOnlyAttribute: developerOnly,
  };
  if (required && isCustom(attribute)) {
    throw Errors.invalidParameter(`Required custom attributes are not supported currently. (${attribute.Name})`);
  }
  return { ...attribute, ...readConstraints(entry, attribute) };
}

function checkCustomAttributes(existing: readonly SchemaAttribute[], added: readonly SchemaAttribute[]): void {
  const seen = new Set(existing.map((a) => a.Name));
  for (const attribute of added) {
    if (seen.has(attribute.Name)) {
      throw Errors.invalidParameter(`${attribute.Name}: Existing attribute already has name ${attribute.Name}.`);
    }
    seen.add(attribute.Name);
  }
  const customs = [...existing, ...added].filter(isCustom).length;
  if (customs > MAX_CUSTOM_ATTRIBUTES) {
    throw Errors.invalidParameter(`A user pool can have at most ${MAX_CUSTOM_ATTRIBUTES} custom attributes; this would make ${customs}.`);
  }
}

/** CreateUserPool's Schema: the standard attributes it declares and its custom attributes. */
export function readSchema(input: unknown): SchemaAttribute[] {
  if (input === undefined || input === null) return [];
  if (!Array.isArray(input)) throw Errors.serialization('Schema must be a list');
  const attributes = input.map((entry, index) => readAttribute(entry, index, false));
  checkCustomAttributes([], attributes);
  return attributes;
}

/** AddCustomAttributes: the pool's schema with the new custom attributes after the ones it has. */
export function withCustomAttributes(schema: readonly SchemaAttribute[], input: unknown): SchemaAttribute[] {
  if (input === undefined || input === null) {
    throw Errors.invalidParameter("1 validation error detected: Value at 'customAttributes' failed to satisfy constraint: Member must not be null");
  }
  if (!Array.isArray(input)) throw Errors.serialization('CustomAttributes must be a list');
  if (input.length < 1 || input.length > MAX_ADDED_AT_ONCE) {
    const bound = input.length < 1 ? 'greater than or equal to 1' : `less than or equal to ${MAX_ADDED_AT_ONCE}`;
    throw Errors.invalidParameter(`1 validation error detected: Value at 'customAttributes' failed to satisfy constraint: Member must have length ${bound}`);
  }
  const added = input.map((entry, index) => readAttribute(entry, index, true));
  checkCustomAttributes(schema, added);
  return [...schema, ...added];
}

const schemaError = (detail: string): CognitoError => Errors.invalidParameter(`Attributes did not conform to the schema: ${detail}`);

/**
 * A custom attribute's value against its declaration: a Number is a whole number within
 * NumberAttributeConstraints, a String's length within StringAttributeConstraints (at most 2048).
 * An empty value is no value (it clears the attribute) and is not checked.
 */
export function checkCustomValue(attribute: SchemaAttribute, value: string): void {
  if (value === '') return;
  if (attribute.AttributeDataType === 'Number') {
    if (!INTEGER.test(value) || value.length > 310) throw schemaError(`${attribute.Name}: Number must be a whole number.`);
    const number = BigInt(value);
    const { MinValue, MaxValue } = attribute.NumberAttributeConstraints ?? {};
    if (MinValue !== undefined && number < BigInt(MinValue)) throw schemaError(`${attribute.Name}: Number must be no less than ${MinValue}.`);
    if (MaxValue !== undefined && number > BigInt(MaxValue)) throw schemaError(`${attribute.Name}: Number must be no greater than ${MaxValue}.`);
    return;
  }
  if (attribute.AttributeDataType === 'String') {
    const { MinLength, MaxLength } = attribute.StringAttributeConstraints ?? {};
    const longest = MaxLength !== undefined ? Number(MaxLength) : MAX_STRING_LENGTH;
    if (MinLength !== undefined && value.length < Number(MinLength)) throw schemaError(`${attribute.Name}: String must be at least ${MinLength} characters long.`);
    if (value.length > longest) throw schemaError(`${attribute.Name}: String must be no longer than ${longest} characters.`);
  }
}

/**
 * GetCSVHeader: the columns of Cognito's user import file. The standard attributes but `sub`, in
 * Cognito's order, then the pool's custom attributes, then cognito:mfa_enabled and cognito:username.
 */
export function csvHeader(schema: readonly SchemaAttribute[]): string[] {
  return [
    ...STANDARD_ATTRIBUTES.filter((name) => name !== 'sub'),
    ...schema.filter(isCustom).map((a) => a.Name),
    'cognito:mfa_enabled',
    'cognito:username',
  ];
}

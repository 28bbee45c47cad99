// Input shape checks for AWS JSON 1.1 bodies. Type mismatches are SerializationExceptions (the
// body cannot be read as the operation's shape); constraint failures are collected and reported
// together as one InvalidParameterException, in AWS's "N validation errors detected" form.
import { Errors } from './errors.js';

export type JsonObject = Record<string, unknown>;

export interface StringRule {
  min?: number;
  max?: number;
  pattern?: RegExp;
  /** Shown in the message instead of the regular expression's source. */
  patternText?: string;
  oneOf?: readonly string[];
}

/** Member constraints from Cognito's service model (length limits and patterns). */
export const Rules = {
  clientId: { min: 1, max: 128, pattern: /^[\w+]+$/, patternText: '[\\w+]+' },
  userPoolId: { min: 1, max: 55, pattern: /^[\w-]+_[0-9a-zA-Z]+$/, patternText: '[\\w-]+_[0-9a-zA-Z]+' },
  username: {
    min: 1,
    max: 128,
    pattern: /^[\p{L}\p{M}\p{S}\p{N}\p{P}]+$/u,
    patternText: '[\\p{L}\\p{M}\\p{S}\\p{N}\\p{P}]+',
  },
  password: { max: 256, pattern: /^\S+$/, patternText: '[\\S]+' },
  session: { min: 20, max: 2048 },
  token: { pattern: /^[A-Za-z0-9-_=.]+$/, patternText: '[A-Za-z0-9-_=.]+' },
  clientSecret: { min: 24, max: 64, pattern: /^[\w+]+$/, patternText: '[\\w+]+' },
  name: { min: 1, max: 128, pattern: /^[\w\s+=,.@-]+$/, patternText: '[\\w\\s+=,.@-]+' },
  /** PaginationKey / SearchPaginationTokenType: the list operations' NextToken and PaginationToken. */
  paginationKey: { min: 1, pattern: /^\S+$/, patternText: '[\\S]+' },
} satisfies Record<string, StringRule>;

/** AWS names members in validation messages in camelCase. */
const memberName = (name: string): string => name.charAt(0).toLowerCase() + name.slice(1);

export class Validator {
  private readonly problems: string[] = [];

  constructor(private readonly input: JsonObject) {}

  requiredString(name: string, rule: StringRule = {}): string {
    const value = this.optionalString(name, rule);
    if (value === undefined) {
      this.problems.push(`Value at '${memberName(name)}' failed to satisfy constraint: Member must not be null`);
      return '';
    }
    return value;
  }

  optionalString(name: string, rule: StringRule = {}): string | undefined {
    const value = this.input[name];
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'string') throw Errors.serialization(`${name} must be a string`);
    this.checkString(memberName(name), value, rule);
    return value;
  }

  optionalBoolean(name: string): boolean | undefined {
    const value = this.input[name];
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'boolean') throw Errors.serialization(`${name} must be a boolean`);
    return value;
  }

  optionalInteger(name: string, min: number, max: number): number | undefined {
    const value = this.input[name];
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'number' || !Number.isInteger(value)) throw Errors.serialization(`${name} must be an integer`);
    if (value < min) this.fail(name, `Member must have value greater than or equal to ${min}`);
    if (value > max) this.fail(name, `Member must have value less than or equal to ${max}`);
    return value;
  }

  requiredInteger(name: string, min: number, max: number): number {
    const value = this.optionalInteger(name, min, max);
    if (value === undefined) {
      this.problems.push(`Value at '${memberName(name)}' failed to satisfy constraint: Member must not be null`);
      return min;
    }
    return value;
  }

  /**
   * A string-to-string map (AuthParameters, ChallengeResponses, ClientMetadata). `entries` constrains
   * the values of known keys, reported as 'authParameters.USERNAME' and so on.
   */
  optionalMap(name: string, entries: Readonly<Record<string, StringRule>> = {}): Record<string, string> | undefined {
    const value = this.input[name];
    if (value === undefined || value === null) return undefined;
    if (!isPlainObject(value)) throw Errors.serialization(`${name} must be a map`);
    const all = Object.entries(value);
    for (const [key, entry] of all) {
      if (entry !== null && typeof entry !== 'string') throw Errors.serialization(`${name}.${key} must be a string`);
    }
    // A null entry is no entry, as a null member is none (identity-js retries with DEVICE_KEY: null).
    const map = (all.some(([, entry]) => entry === null) ? Object.fromEntries(all.filter(([, entry]) => entry !== null)) : value) as Record<string, string>;
    for (const [key, rule] of Object.entries(entries)) {
      const entry = Object.hasOwn(map, key) ? map[key] : undefined;
      if (entry !== undefined) this.checkString(`${memberName(name)}.${key}`, entry, rule);
    }
    return map;
  }

  optionalStringList(name: string, rule: StringRule = {}): string[] | undefined {
    const value = this.input[name];
    if (value === undefined || value === null) return undefined;
    if (!Array.isArray(value)) throw Errors.serialization(`${name} must be a list`);
    value.forEach((entry, index) => {
      if (typeof entry !== 'string') throw Errors.serialization(`${name}.${index + 1} must be a string`);
      this.checkString(`${memberName(name)}.${index + 1}.member`, entry, rule);
    });
    return value as string[];
  }

  optionalObject(name: string): JsonObject | undefined {
    const value = this.input[name];
    if (value === undefined || value === null) return undefined;
    if (!isPlainObject(value)) throw Errors.serialization(`${name} must be a structure`);
    return value;
  }

  /**
   * UserContextData (threat protection's context: EncodedData from the collection script, the IpAddress): each
   * member a string of at most 131072 characters, as Cognito's model says. The local pool has no threat protection,
   * so it only checks the shape.
   */
  optionalUserContextData(): void {
    const context = this.optionalObject('UserContextData');
    if (!context) return;
    for (const member of ['EncodedData', 'IpAddress']) {
      const value = context[member];
      if (value === undefined || value === null) continue;
      if (typeof value !== 'string') throw Errors.serialization(`UserContextData.${member} must be a string`);
      this.checkString(`userContextData.${memberName(member)}`, value, { max: 131072 });
    }
  }

  /**
   * ContextData, the admin operations' form of UserContextData (the server relays its user's IpAddress,
   * ServerName, ServerPath, HttpHeaders and the optional EncodedData). Checked like UserContextData, with
   * the model's required members; nothing uses it.
   */
  optionalContextData(): void {
    const context = this.optionalObject('ContextData');
    if (!context) return;
    for (const member of ['IpAddress', 'ServerName', 'ServerPath', 'EncodedData']) {
      const value = context[member];
      if (value === undefined || value === null) {
        if (member !== 'EncodedData') this.problems.push(`Value at 'contextData.${memberName(member)}' failed to satisfy constraint: Member must not be null`);
        continue;
      }
      if (typeof value !== 'string') throw Errors.serialization(`ContextData.${member} must be a string`);
      this.checkString(`contextData.${memberName(member)}`, value, { max: 131072 });
    }
    const headers = context['HttpHeaders'];
    if (headers === undefined || headers === null) {
      this.problems.push(`Value at 'contextData.httpHeaders' failed to satisfy constraint: Member must not be null`);
      return;
    }
    if (!Array.isArray(headers)) throw Errors.serialization('ContextData.HttpHeaders must be a list');
    headers.forEach((header, index) => {
      if (!isPlainObject(header)) throw Errors.serialization(`ContextData.HttpHeaders.${index + 1} must be a structure`);
      for (const member of ['headerName', 'headerValue']) {
        const value = header[member];
        if (value !== undefined && value !== null && typeof value !== 'string') {
          throw Errors.serialization(`ContextData.HttpHeaders.${index + 1}.${member} must be a string`);
        }
      }
    });
  }

  /** AnalyticsMetadata (Pinpoint's endpoint id): accepted with its shape checked, and not used. */
  optionalAnalyticsMetadata(): void {
    const analytics = this.optionalObject('AnalyticsMetadata');
    const id = analytics?.['AnalyticsEndpointId'];
    if (id !== undefined && id !== null && typeof id !== 'string') throw Errors.serialization('AnalyticsMetadata.AnalyticsEndpointId must be a string');
  }

  /**
   * A list of structures (MFAOptions): the string members named in `members` are type-checked and held
   * to their rules, reported as 'mFAOptions.1.member.deliveryMedium'. The entries are returned as sent.
   */
  optionalStructureList(name: string, members: Readonly<Record<string, StringRule>>): JsonObject[] | undefined {
    const value = this.input[name];
    if (value === undefined || value === null) return undefined;
    if (!Array.isArray(value)) throw Errors.serialization(`${name} must be a list`);
    return value.map((entry, index) => {
      if (!isPlainObject(entry)) throw Errors.serialization(`${name}.${index + 1} must be a structure`);
      for (const [member, rule] of Object.entries(members)) {
        const text = entry[member];
        if (text === undefined || text === null) continue;
        if (typeof text !== 'string') throw Errors.serialization(`${name}.${index + 1}.${member} must be a string`);
        this.checkString(`${memberName(name)}.${index + 1}.member.${memberName(member)}`, text, rule);
      }
      return entry;
    });
  }

  requiredStructureList(name: string, members: Readonly<Record<string, StringRule>>): JsonObject[] {
    const value = this.optionalStructureList(name, members);
    if (value === undefined) {
      this.problems.push(`Value at '${memberName(name)}' failed to satisfy constraint: Member must not be null`);
      return [];
    }
    return value;
  }

  /** [{Name, Value}] attribute lists as Cognito sends them. */
  optionalAttributes(name: string): Array<{ Name: string; Value: string }> | undefined {
    const value = this.input[name];
    if (value === undefined || value === null) return undefined;
    if (!Array.isArray(value)) throw Errors.serialization(`${name} must be a list`);
    return value.map((entry, index) => {
      if (!isPlainObject(entry) || typeof entry['Name'] !== 'string') {
        throw Errors.serialization(`${name}.${index + 1} must be an attribute with a Name`);
      }
      const attributeValue = entry['Value'] ?? '';
      if (typeof attributeValue !== 'string') throw Errors.serialization(`${name}.${index + 1}.Value must be a string`);
      const member = `${memberName(name)}.${index + 1}.member`;
      this.checkString(`${member}.name`, entry['Name'], { min: 1, max: 32 });
      this.checkString(`${member}.value`, attributeValue, { max: 2048 });
      return { Name: entry['Name'], Value: attributeValue };
    });
  }

  requiredAttributes(name: string): Array<{ Name: string; Value: string }> {
    const value = this.optionalAttributes(name);
    if (value === undefined) {
      this.problems.push(`Value at '${memberName(name)}' failed to satisfy constraint: Member must not be null`);
      return [];
    }
    return value;
  }

  /** Throws the collected constraint failures, if any. */
  done(): void {
    if (this.problems.length === 0) return;
    const count = this.problems.length;
    throw Errors.invalidParameter(
      `${count} validation error${count === 1 ? '' : 's'} detected: ${this.problems.join('; ')}`,
    );
  }

  private fail(name: string, constraint: string): void {
    this.problems.push(`Value at '${memberName(name)}' failed to satisfy constraint: ${constraint}`);
  }

  private checkString(member: string, value: string, rule: StringRule): void {
    const problem = (constraint: string) =>
      this.problems.push(`Value at '${member}' failed to satisfy constraint: ${constraint}`);
    if (rule.min !== undefined && value.length < rule.min) {
      problem(`Member must have length greater than or equal to ${rule.min}`);
    }
    if (rule.max !== undefined && value.length > rule.max) {
      problem(`Member must have length less than or equal to ${rule.max}`);
    }
    if (rule.pattern && value.length > 0 && !rule.pattern.test(value)) {
      problem(`Member must satisfy regular expression pattern: ${rule.patternText ?? rule.pattern.source}`);
    }
    if (rule.oneOf && !rule.oneOf.includes(value)) {
      problem(`Member must satisfy enum value set: [${rule.oneOf.join(', ')}]`);
    }
  }
}

/**
 * How deeply a request body may nest. Cognito's shapes (and the documents WebAuthn sends) go a few
 * levels deep; far deeper ones are refused before anything reads them, because a structure the pool
 * keeps is stored through JSON.stringify, which overflows the stack a few thousand levels down.
 */
export const MAX_NESTING = 64;

/** Whether `value` nests objects or arrays more than `max` levels deep (counted without recursion). */
export function nestsDeeperThan(value: unknown, max: number): boolean {
  const pending: Array<{ value: unknown; depth: number }> = [{ value, depth: 1 }];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    if (typeof next.value !== 'object' || next.value === null) continue;
    if (next.depth > max) return true;
    for (const child of Object.values(next.value)) pending.push({ value: child, depth: next.depth + 1 });
  }
  return false;
}

export function isPlainObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

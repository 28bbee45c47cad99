// SetRiskConfiguration's members (RiskConfigurationType), checked as the service model and Cognito's
// rules say, and whether the pool's threat protection (UserPoolAddOns) is on. The local pool keeps
// and describes them; it does not score risk (docs/local-pool.md, "Threat protection").
import { isIP } from 'node:net';
import { CognitoError, Errors } from '../api/errors.js';
import { isPlainObject, Validator, type JsonObject } from '../api/validation.js';
import type { PoolRecord } from '../store/model.js';

/** Threat protection is on when UserPoolAddOns.AdvancedSecurityMode is AUDIT or ENFORCED. */
export function threatProtectionOn(pool: PoolRecord): boolean {
  const addOns = pool.config.Stored?.UserPoolAddOns;
  const mode = isPlainObject(addOns) ? addOns['AdvancedSecurityMode'] : undefined;
  return mode === 'AUDIT' || mode === 'ENFORCED';
}

export const addOnNotEnabled = () =>
  new CognitoError(
    'UserPoolAddOnNotEnabledException',
    'Threat protection (advanced security) is not enabled for this user pool: set UserPoolAddOns AdvancedSecurityMode to AUDIT or ENFORCED.',
  );

export function requireThreatProtection(pool: PoolRecord): void {
  if (!threatProtectionOn(pool)) throw addOnNotEnabled();
}

const EVENT_FILTERS = ['SIGN_IN', 'PASSWORD_CHANGE', 'SIGN_UP'];
const COMPROMISED_ACTIONS = ['BLOCK', 'NO_ACTION'];
const TAKEOVER_ACTIONS = ['BLOCK', 'MFA_IF_CONFIGURED', 'MFA_REQUIRED', 'NO_ACTION'];
const ARN = { min: 20, max: 2048, pattern: /^arn:[\w+=/,.@-]+:[\w+=/,.@-]+:([\w+=/,.@-]*)?:[0-9]+:[\w+=/,.@-]+(:[\w+=/,.@-]+)?(:[\w+=/,.@-]+)?$/ };
const MAX_IP_RANGES = 200;

const required = (name: string) => Errors.invalidParameter(`1 validation error detected: Value at '${name}' failed to satisfy constraint: Member must not be null`);

function requiredObject(v: Validator, parent: string, name: string): JsonObject {
  const value = v.optionalObject(name);
  if (!value) throw required(`${parent}.${name.charAt(0).toLowerCase()}${name.slice(1)}`);
  return value;
}

function readCompromised(input: JsonObject): JsonObject {
  const v = new Validator(input);
  const filter = v.optionalStringList('EventFilter', { oneOf: EVENT_FILTERS });
  const actions = new Validator(requiredObject(v, 'compromisedCredentialsRiskConfiguration', 'Actions'));
  const action = actions.requiredString('EventAction', { oneOf: COMPROMISED_ACTIONS });
  actions.done();
  v.done();
  return { ...(filter ? { EventFilter: [...new Set(filter)] } : {}), Actions: { EventAction: action } };
}

function readTakeoverAction(input: JsonObject | undefined): JsonObject | undefined {
  if (!input) return undefined;
  const v = new Validator(input);
  const notify = v.optionalBoolean('Notify');
  const action = v.requiredString('EventAction', { oneOf: TAKEOVER_ACTIONS });
  v.done();
  if (notify === undefined) throw required('notify');
  return { Notify: notify, EventAction: action };
}

function readEmail(input: JsonObject | undefined): JsonObject | undefined {
  if (!input) return undefined;
  const v = new Validator(input);
  const subject = v.requiredString('Subject', { min: 1, max: 340, pattern: /^[\p{L}\p{M}\p{S}\p{N}\p{P}\s]+$/u });
  const html = v.optionalString('HtmlBody', { min: 6, max: 20_000 });
  const text = v.optionalString('TextBody', { min: 6, max: 20_000 });
  v.done();
  return { Subject: subject, ...(html !== undefined ? { HtmlBody: html } : {}), ...(text !== undefined ? { TextBody: text } : {}) };
}

function readTakeover(input: JsonObject): JsonObject {
  const v = new Validator(input);
  const actions = new Validator(requiredObject(v, 'accountTakeoverRiskConfiguration', 'Actions'));
  const levels = Object.fromEntries(
    (['LowAction', 'MediumAction', 'HighAction'] as const).flatMap((level) => {
      const read = readTakeoverAction(actions.optionalObject(level));
      return read ? [[level, read]] : [];
    }),
  );
  actions.done();
  const notifyInput = v.optionalObject('NotifyConfiguration');
  v.done();
  let notify: JsonObject | undefined;
  if (notifyInput) {
    const n = new Validator(notifyInput);
    const from = n.optionalString('From');
    const replyTo = n.optionalString('ReplyTo');
    const sourceArn = n.requiredString('SourceArn', ARN);
    const emails = Object.fromEntries(
      (['BlockEmail', 'NoActionEmail', 'MfaEmail'] as const).flatMap((name) => {
        const read = readEmail(n.optionalObject(name));
        return read ? [[name, read]] : [];
      }),
    );
    n.done();
    notify = { ...(from !== undefined ? { From: from } : {}), ...(replyTo !== undefined ? { ReplyTo: replyTo } : {}), SourceArn: sourceArn, ...emails };
  }
  if (!notify && Object.values(levels).some((level) => level['Notify'] === true)) {
    throw Errors.invalidParameter('NotifyConfiguration is required when an account takeover action notifies the user (Notify true).');
  }
  return { ...(notify ? { NotifyConfiguration: notify } : {}), Actions: levels };
}

/** An IPv4 or IPv6 address with a prefix length (CIDR), as the IP range lists take. */
export function parseCidr(range: string): { address: string; prefix: number; family: 4 | 6 } | undefined {
  const match = /^([^/]+)\/(\d{1,3})$/.exec(range);
  if (!match) return undefined;
  const family = isIP(match[1]!);
  const prefix = Number(match[2]);
  if (family === 0 || prefix > (family === 4 ? 32 : 128)) return undefined;
  return { address: match[1]!, prefix, family: family as 4 | 6 };
}

function readIpRanges(v: Validator, name: 'BlockedIPRangeList' | 'SkippedIPRangeList'): string[] | undefined {
  const list = v.optionalStringList(name);
  if (!list) return undefined;
  if (list.length > MAX_IP_RANGES) throw Errors.invalidParameter(`${name} can have at most ${MAX_IP_RANGES} IP ranges.`);
  const wrong = list.find((range) => !parseCidr(range));
  if (wrong !== undefined) throw Errors.invalidParameter(`${name}: ${wrong.slice(0, 100)} is not an IP range in CIDR notation (such as 192.0.2.0/24).`);
  return [...new Set(list)];
}

function readExceptions(input: JsonObject): JsonObject {
  const v = new Validator(input);
  const blocked = readIpRanges(v, 'BlockedIPRangeList');
  const skipped = readIpRanges(v, 'SkippedIPRangeList');
  v.done();
  return { ...(blocked ? { BlockedIPRangeList: blocked } : {}), ...(skipped ? { SkippedIPRangeList: skipped } : {}) };
}

/** The configuration members of a SetRiskConfiguration request, as kept (none: back to the defaults). */
export function readRiskConfiguration(v: Validator): JsonObject {
  const compromised = v.optionalObject('CompromisedCredentialsRiskConfiguration');
  const takeover = v.optionalObject('AccountTakeoverRiskConfiguration');
  const exceptions = v.optionalObject('RiskExceptionConfiguration');
  v.done();
  return {
    ...(compromised ? { CompromisedCredentialsRiskConfiguration: readCompromised(compromised) } : {}),
    ...(takeover ? { AccountTakeoverRiskConfiguration: readTakeover(takeover) } : {}),
    ...(exceptions ? { RiskExceptionConfiguration: readExceptions(exceptions) } : {}),
  };
}

// Changing a user's attributes (UpdateUserAttributes, AdminUpdateUserAttributes, the Delete*
// variants) and verifying email / phone_number (GetUserAttributeVerificationCode, VerifyUserAttribute).
// A changed email or phone number is unverified, and gets a code when the pool auto-verifies it; in
// pools whose UserAttributeUpdateSettings say so, a verified value stays active and the new one waits
// (pendingAttributes) until its code is entered. Every write applies to the user as stored then.
import type { PoolContext } from '../context.js';
import { CognitoError, Errors } from '../api/errors.js';
import type { PoolRecord, UserRecord } from '../store/model.js';
import { attributesRequiringVerification, requiredAttributes, STANDARD_ATTRIBUTES } from '../pools/config.js';
import { channelOf, type DeliveryAttribute } from '../pools/messages.js';
import type { JsonObject } from '../api/validation.js';
import { sendCode, useCode } from './codes.js';
import { customMessageTexts } from '../triggers/custom-message.js';

const DELIVERY_ATTRIBUTES: readonly DeliveryAttribute[] = ['email', 'phone_number'];
const flagOf = (attribute: DeliveryAttribute) => `${attribute}_verified` as const;
const isDeliveryAttribute = (name: string): name is DeliveryAttribute => (DELIVERY_ATTRIBUTES as readonly string[]).includes(name);

const schemaError = (detail: string) => Errors.invalidParameter(`Attributes did not conform to the schema: ${detail}`);

/** Who changes the attributes: the user (its own tokens; counted against the send limit) or an admin. */
export type Actor = 'user' | 'admin';

/** The app client of the request (NO_CLIENT for admin operations) and its ClientMetadata, for the CustomMessage trigger. */
export interface MessageCaller {
  clientId: string;
  clientMetadata?: Record<string, string> | undefined;
}

/** Another user who has `value` as a sign-in name (UsernameAttributes) or as a verified alias (AliasAttributes). */
function holderOf(ctx: PoolContext, pool: PoolRecord, user: UserRecord, attribute: string, value: string): UserRecord | undefined {
  const others = ctx.store.findUsersByAttribute(pool.id, attribute, value).filter((other) => other.sub !== user.sub);
  if (pool.config.UsernameAttributes.includes(attribute)) return others[0];
  if (!pool.config.AliasAttributes.includes(attribute)) return undefined;
  return isDeliveryAttribute(attribute) ? others.find((other) => other.attributes[flagOf(attribute)] === 'true') : others[0];
}

/** AliasExistsException when another user signs in with `value` already. */
export function checkNotTaken(ctx: PoolContext, pool: PoolRecord, user: UserRecord, attribute: string, value: string): void {
  if (holderOf(ctx, pool, user, attribute, value)) throw Errors.aliasExists(attribute);
}

/**
 * For sign-up confirmation with ForceAliasCreation: the alias moves to this user (the other user's
 * value becomes unverified, so it no longer signs in with it); without it, AliasExistsException.
 */
export function claimAlias(ctx: PoolContext, pool: PoolRecord, user: UserRecord, attribute: DeliveryAttribute, value: string, force: boolean): void {
  const holder = holderOf(ctx, pool, user, attribute, value);
  if (!holder) return;
  if (!force || pool.config.UsernameAttributes.includes(attribute)) throw Errors.aliasExists(attribute);
  ctx.store.updateUser(pool.id, holder.sub, (current) => ({
    ...current,
    attributes: { ...current.attributes, [flagOf(attribute)]: 'false' },
    updatedAt: ctx.clock.now(),
  }));
}

function checkMutable(pool: PoolRecord, user: UserRecord, updates: Record<string, string>): void {
  for (const name of Object.keys(updates)) {
    const declared = pool.config.Schema.find((a) => a.Name === name);
    if (declared && !declared.Mutable && user.attributes[name] !== undefined && user.attributes[name] !== updates[name]) {
      throw schemaError(`${name}: Attribute cannot be updated. (changing an immutable attribute)`);
    }
  }
  const emptied = requiredAttributes(pool.config).filter((name) => name in updates && updates[name] === '');
  if (emptied.length > 0) throw Errors.requiredAttributes(emptied);
}

/**
 * Applies attribute updates (already checked against the schema) and sends the verification codes
 * they call for; returns CodeDeliveryDetailsList (empty when nothing was sent).
 */
export async function updateAttributes(
  ctx: PoolContext,
  pool: PoolRecord,
  user: UserRecord,
  updates: Record<string, string>,
  actor: Actor,
  caller: MessageCaller,
): Promise<JsonObject[]> {
  checkMutable(pool, user, updates);
  const keepUntilVerified = attributesRequiringVerification(pool.config);
  const toVerify: Array<{ attribute: DeliveryAttribute; value: string }> = [];
  const now = ctx.clock.now();
  const saved = ctx.store.transaction(() => {
    const next = ctx.store.updateUser(pool.id, user.sub, (current) => {
      const attributes = { ...current.attributes };
      const pending = { ...current.pendingAttributes };
      for (const [name, value] of Object.entries(updates)) {
        if (isDeliveryAttribute(name) || name === 'email_verified' || name === 'phone_number_verified') continue;
        attributes[name] = value;
      }
      for (const attribute of DELIVERY_ATTRIBUTES) {
        const flag = flagOf(attribute);
        const value = updates[attribute];
        const statedVerified = updates[flag];
        if (value === undefined) {
          // Only the flag (admin): e.g. email_verified true for the current address.
          if (statedVerified !== undefined && attributes[attribute] !== undefined) attributes[flag] = statedVerified;
          continue;
        }
        if (value !== attributes[attribute] && value !== '') checkNotTaken(ctx, pool, current, attribute, value);
        if (value === '') {
          delete attributes[attribute];
          delete attributes[flag];
          delete pending[attribute];
          continue;
        }
        if (statedVerified !== undefined) {
          attributes[attribute] = value;
          attributes[flag] = statedVerified;
          delete pending[attribute];
          continue;
        }
        if (value === attributes[attribute] && pending[attribute] === undefined) continue;
        const keepOld = keepUntilVerified.includes(attribute) && attributes[flag] === 'true' && value !== attributes[attribute];
        if (keepOld) {
          pending[attribute] = value;
        } else {
          attributes[attribute] = value;
          attributes[flag] = 'false';
          delete pending[attribute];
        }
        if (pool.config.AutoVerifiedAttributes.includes(attribute)) toVerify.push({ attribute, value });
      }
      return { ...current, attributes, pendingAttributes: pending, updatedAt: now };
    });
    if (!next) throw Errors.userNotFound();
    return next;
  });
  if (toVerify.length === 0) return [];
  const texts = await customMessageTexts(ctx, { pool, ...caller, source: 'CustomMessage_UpdateUserAttribute', user: saved });
  // The function is an await: a value changed again meanwhile gets no code (the later change sent its
  // own, which a code for the old value would replace).
  return ctx.store.transaction(() => {
    const current = ctx.store.getUserBySub(pool.id, user.sub);
    if (!current) return [];
    return toVerify
      .filter(({ attribute, value }) => valueToVerify(current, attribute) === value)
      .map(({ attribute, value }) =>
        sendCode(ctx, { pool, user: current, kind: `VERIFY:${attribute}`, channel: channelOf(attribute, value), purpose: 'VERIFY_ATTRIBUTE', limited: false, texts }),
      );
  });
}

/** DeleteUserAttributes / AdminDeleteUserAttributes: names must exist in the schema; required ones and sub cannot go. */
export function deleteAttributes(ctx: PoolContext, pool: PoolRecord, user: UserRecord, names: readonly string[]): void {
  for (const name of names) {
    const known = name.startsWith('custom:') ? pool.config.Schema.some((a) => a.Name === name) : (STANDARD_ATTRIBUTES as readonly string[]).includes(name);
    if (!known) throw schemaError(`Type for attribute {${name}} could not be determined`);
    if (name === 'sub') throw schemaError('sub: Attribute cannot be deleted.');
    if (pool.config.UsernameAttributes.includes(name)) throw schemaError(`${name}: Attribute cannot be deleted: it is the user's username.`);
  }
  const required = requiredAttributes(pool.config).filter((name) => names.includes(name));
  if (required.length > 0) throw Errors.requiredAttributes(required);
  const updated = ctx.store.updateUser(pool.id, user.sub, (current) => {
    const attributes = { ...current.attributes };
    const pending = { ...current.pendingAttributes };
    for (const name of names) {
      delete attributes[name];
      if (isDeliveryAttribute(name)) {
        delete attributes[flagOf(name)];
        delete pending[name];
      }
    }
    return { ...current, attributes, pendingAttributes: pending, updatedAt: ctx.clock.now() };
  });
  if (!updated) throw Errors.userNotFound();
  const kinds = names.filter(isDeliveryAttribute).map((name) => `VERIFY:${name}` as const);
  if (kinds.length > 0) ctx.store.deleteCodes(pool.id, user.sub, kinds);
}

function verifiableAttribute(name: string): DeliveryAttribute {
  if (!isDeliveryAttribute(name)) throw Errors.invalidParameter(`Invalid attribute name: ${name} cannot be verified; only email and phone_number can.`);
  return name;
}

/** The value a verification code goes to: the pending new value, else the current one. */
function valueToVerify(user: UserRecord, attribute: DeliveryAttribute): string | undefined {
  return user.pendingAttributes[attribute] ?? user.attributes[attribute];
}

/** GetUserAttributeVerificationCode: a code to the pending or current value. */
export async function sendVerificationCode(ctx: PoolContext, pool: PoolRecord, user: UserRecord, name: string, caller: MessageCaller): Promise<JsonObject> {
  const attribute = verifiableAttribute(name);
  const value = valueToVerify(user, attribute);
  if (value === undefined) throw Errors.invalidParameter(`The user has no ${attribute} to verify.`);
  const texts = await customMessageTexts(ctx, { pool, ...caller, source: 'CustomMessage_VerifyUserAttribute', user });
  // After the function (an await): the code goes to the value the user has now.
  return ctx.store.transaction(() => {
    const current = ctx.store.getUserBySub(pool.id, user.sub);
    if (!current) throw Errors.userNotFound();
    const now = valueToVerify(current, attribute);
    if (now === undefined) throw Errors.invalidParameter(`The user has no ${attribute} to verify.`);
    return sendCode(ctx, { pool, user: current, kind: `VERIFY:${attribute}`, channel: channelOf(attribute, now), purpose: 'VERIFY_ATTRIBUTE', limited: true, texts });
  });
}

/**
 * VerifyUserAttribute: the code must be the one sent to the value the user has now (or has pending);
 * a pending value then replaces the old one. Either way the attribute is verified.
 */
export function verifyAttribute(ctx: PoolContext, pool: PoolRecord, user: UserRecord, name: string, code: string): void {
  const attribute = verifiableAttribute(name);
  const value = valueToVerify(user, attribute);
  if (value === undefined) throw Errors.verificationCodeMismatch();
  checkNotTaken(ctx, pool, user, attribute, value);
  useCode(ctx, user, `VERIFY:${attribute}`, code, value);
  let refusal: CognitoError | undefined;
  const updated = ctx.store.updateUser(pool.id, user.sub, (current) => {
    if (valueToVerify(current, attribute) !== value) {
      // Changed while the code was checked: that value is not the one the code proved.
      refusal = Errors.verificationCodeMismatch();
      return current;
    }
    const { [attribute]: _verified, ...pending } = current.pendingAttributes;
    return {
      ...current,
      attributes: { ...current.attributes, [attribute]: value, [flagOf(attribute)]: 'true' },
      pendingAttributes: pending,
      updatedAt: ctx.clock.now(),
    };
  });
  if (!updated) throw Errors.userNotFound();
  if (refusal) throw refusal;
}

// MFA operations: the pool's MFA configuration, TOTP authenticator setup (with an access token or
// with an MFA_SETUP Session), and users' MFA preferences (also the legacy SetUserSettings SMS switch).
import { openMfaSetup, type MfaSetupState } from '../../flows/challenges/mfa.js';
import type { Handler, HandlerRegistry, PoolContext } from '../../context.js';
import { CognitoError, Errors } from '../errors.js';
import {
  MFA_OPTION_MEMBERS,
  applyMfaPreference,
  describePoolMfa,
  poolMfaTypes,
  readMfaOptions,
  readMfaPreferenceInput,
  readPoolMfaSettings,
  withPoolMfaSettings,
  type MfaPreferenceInput,
} from '../../pools/mfa.js';
import type { AuthSessionRecord, PoolRecord, UserRecord } from '../../store/model.js';
import { claimSession, findSession, wrongCode } from '../../flows/sign-in.js';
import { matchTotp, newTotpSecret } from '../../crypto/totp.js';
import { Rules, Validator, type JsonObject } from '../validation.js';
import { target } from './admin-users.js';
import { requirePool } from './pools.js';
import { checkPoolFeatures } from '../../pools/sign-in-policy.js';
import { authenticate } from './user.js';

const withoutMembers = (input: JsonObject, ...names: string[]): JsonObject =>
  Object.fromEntries(Object.entries(input).filter(([name]) => !names.includes(name)));

// ---------- pool ----------

const setUserPoolMfaConfig: Handler = async (input, ctx) => {
  const v = new Validator(input);
  const poolId = v.requiredString('UserPoolId', Rules.userPoolId);
  v.done();
  const pool = requirePool(ctx, poolId);
  const settings = readPoolMfaSettings(withoutMembers(input, 'UserPoolId'), pool.config.MfaConfiguration);
  const updated: PoolRecord = { ...pool, config: withPoolMfaSettings(pool.config, settings), updatedAt: ctx.clock.now() };
  checkPoolFeatures(updated.config);
  ctx.store.updatePool(updated);
  return describePoolMfa(updated.config);
};

const getUserPoolMfaConfig: Handler = async (input, ctx) => {
  const v = new Validator(input);
  const poolId = v.requiredString('UserPoolId', Rules.userPoolId);
  v.done();
  return describePoolMfa(requirePool(ctx, poolId).config);
};

// ---------- TOTP authenticator ----------

type Caller =
  | { kind: 'token'; pool: PoolRecord; user: UserRecord }
  | { kind: 'session'; pool: PoolRecord; user: UserRecord; session: AuthSessionRecord };

/** AccessToken or Session, exactly one of them. */
async function caller(ctx: PoolContext, accessToken: string | undefined, session: string | undefined): Promise<Caller> {
  if ((accessToken === undefined) === (session === undefined)) {
    throw Errors.invalidParameter('Either AccessToken or Session must be given, not both.');
  }
  if (accessToken !== undefined) {
    const user = await authenticate(ctx, accessToken);
    return { kind: 'token', pool: requirePool(ctx, user.poolId), user };
  }
  const record = findSession(ctx, session!, 'MFA_SETUP');
  const pool = ctx.store.getPool(record.poolId);
  const user = record.userSub === null || !pool ? undefined : ctx.store.getUserBySub(pool.id, record.userSub);
  if (!pool || !user) throw Errors.invalidSession();
  if (!user.enabled) throw Errors.userDisabled();
  return { kind: 'session', pool, user, session: record };
}

/** The MFA_SETUP Session that continues `from` at the given step. */
function nextSetupSession(ctx: PoolContext, from: Extract<Caller, { kind: 'session' }>, step: MfaSetupState['step']): string {
  const client = ctx.store.getClient(from.session.clientId);
  if (!client) throw Errors.invalidSession();
  const { choices } = from.session.state as unknown as MfaSetupState;
  const opened = openMfaSetup(ctx, { pool: from.pool, client, user: from.user, attemptId: from.session.attemptId }, choices, step);
  return opened['Session'] as string;
}

/**
 * A new secret, pending until VerifySoftwareToken accepts a code for it; a second call replaces a
 * pending secret. A verified authenticator keeps working until a new one is verified. With a Session,
 * the Session stays usable (the e-mail path of MFA_SETUP remains open) and a new one is returned.
 */
const associateSoftwareToken: Handler = async (input, ctx) => {
  const v = new Validator(input);
  const accessToken = v.optionalString('AccessToken', Rules.token);
  const session = v.optionalString('Session', Rules.session);
  v.done();
  const who = await caller(ctx, accessToken, session);
  if (who.kind === 'session') {
    if ((who.session.state as unknown as MfaSetupState).step === 'verified') throw Errors.invalidSession();
    if (!poolMfaTypes(who.pool.config).includes('SOFTWARE_TOKEN_MFA')) {
      throw Errors.invalidParameter('Software token MFA is not enabled for this user pool.');
    }
  }
  const secret = newTotpSecret();
  ctx.store.saveUser({ ...who.user, mfa: { ...who.user.mfa, pendingTotpSecret: secret } });
  if (who.kind === 'token') return { SecretCode: secret };
  return { SecretCode: secret, Session: nextSetupSession(ctx, who, 'associated') };
}

/**
 * Verifies the pending secret with a code from the authenticator; it then replaces any earlier
 * authenticator. It does not turn TOTP MFA on (SetUserMFAPreference does; MFA_SETUP does during sign-in).
 */
const verifySoftwareToken: Handler = async (input, ctx) => {
  const v = new Validator(input);
  const accessToken = v.optionalString('AccessToken', Rules.token);
  const session = v.optionalString('Session', Rules.session);
  const userCode = v.requiredString('UserCode', { min: 6, max: 6, pattern: /^[0-9]+$/, patternText: '[0-9]+' });
  const deviceName = v.optionalString('FriendlyDeviceName', { max: 131072 });
  v.done();
  const who = await caller(ctx, accessToken, session);
  if (who.kind === 'session' && (who.session.state as unknown as MfaSetupState).step === 'verified') throw Errors.invalidSession();
  const secret = who.user.mfa.pendingTotpSecret;
  if (secret === null) throw Errors.softwareTokenMfaNotFound();
  const step = matchTotp(secret, userCode, ctx.clock.now());
  if (step === null) {
    throw who.kind === 'session' ? wrongCode(ctx, who.session, Errors.enableSoftwareTokenMfa) : Errors.enableSoftwareTokenMfa();
  }
  if (who.kind === 'session') claimSession(ctx, who.session);
  const totp = { secret, deviceName: deviceName || null, lastStep: step };
  const user: UserRecord = { ...who.user, mfa: { ...who.user.mfa, totp, pendingTotpSecret: null }, updatedAt: ctx.clock.now() };
  ctx.store.saveUser(user);
  if (who.kind === 'token') return { Status: 'SUCCESS' };
  return { Status: 'SUCCESS', Session: nextSetupSession(ctx, { ...who, user }, 'verified') };
}

// ---------- user preferences ----------

/**
 * The user's MFA settings changed as `input` says, worked out on the user as stored at the moment of
 * writing (one transaction), so a concurrent change of the same user is never overwritten.
 */
function saveMfaChoices(ctx: PoolContext, pool: PoolRecord, user: UserRecord, input: MfaPreferenceInput): void {
  const saved = ctx.store.updateUser(user.poolId, user.sub, (current) => ({
    ...current,
    mfa: applyMfaPreference(pool, current, input),
    updatedAt: ctx.clock.now(),
  }));
  if (!saved) throw Errors.userNotFound();
}

/** The settings members, read once the caller is known: the order these two operations always had. */
function readPreference(v: Validator): MfaPreferenceInput {
  const preference = readMfaPreferenceInput(v);
  v.done();
  return preference;
}

const setUserMfaPreference: Handler = async (input, ctx) => {
  const v = new Validator(input);
  const accessToken = v.requiredString('AccessToken', Rules.token);
  v.done();
  const user = await authenticate(ctx, accessToken);
  saveMfaChoices(ctx, requirePool(ctx, user.poolId), user, readPreference(v));
  return {};
};

const adminSetUserMfaPreference: Handler = async (input, ctx) => {
  const v = new Validator(input);
  const resolve = target(ctx, v);
  v.done();
  const { pool, user } = resolve();
  saveMfaChoices(ctx, pool, user, readPreference(v));
  return {};
};

// The legacy SMS switch: MFAOptions become an SMS_MFA Enabled true / false, as SetUserMFAPreference
// would set it (see docs/local-pool.md, "Legacy MFAOptions").

const setUserSettings: Handler = async (input, ctx) => {
  const v = new Validator(input);
  const accessToken = v.requiredString('AccessToken', Rules.token);
  const options = v.requiredStructureList('MFAOptions', MFA_OPTION_MEMBERS);
  v.done();
  const user = await authenticate(ctx, accessToken);
  saveMfaChoices(ctx, requirePool(ctx, user.poolId), user, readMfaOptions(options));
  return {};
};

const adminSetUserSettings: Handler = async (input, ctx) => {
  const v = new Validator(input);
  const resolve = target(ctx, v);
  const options = v.requiredStructureList('MFAOptions', MFA_OPTION_MEMBERS);
  v.done();
  const { pool, user } = resolve();
  saveMfaChoices(ctx, pool, user, readMfaOptions(options));
  return {};
};

/**
 * The user's TOTP factor goes: the verified authenticator, a pending one, and TOTP in the user's MFA
 * settings (one transaction on the stored user). The next sign-in sees a user who never had one.
 */
const adminDeleteSoftwareToken: Handler = async (input, ctx) => {
  const v = new Validator(input);
  const resolve = target(ctx, v);
  v.done();
  const { user } = resolve();
  const saved = ctx.store.updateUser(user.poolId, user.sub, (current) => {
    if (current.mfa.totp === null && current.mfa.pendingTotpSecret === null) {
      throw new CognitoError('ResourceNotFoundException', 'Software token MFA is not set up for the user.');
    }
    const enabled = current.mfa.enabled.filter((type) => type !== 'SOFTWARE_TOKEN_MFA');
    const preferred = current.mfa.preferred === 'SOFTWARE_TOKEN_MFA' ? null : current.mfa.preferred;
    return { ...current, mfa: { ...current.mfa, totp: null, pendingTotpSecret: null, enabled, preferred }, updatedAt: ctx.clock.now() };
  });
  if (!saved) throw Errors.userNotFound();
  return {};
};

export const mfaHandlers: HandlerRegistry = {
  SetUserPoolMfaConfig: setUserPoolMfaConfig,
  GetUserPoolMfaConfig: getUserPoolMfaConfig,
  AssociateSoftwareToken: associateSoftwareToken,
  VerifySoftwareToken: verifySoftwareToken,
  SetUserMFAPreference: setUserMfaPreference,
  AdminSetUserMFAPreference: adminSetUserMfaPreference,
  SetUserSettings: setUserSettings,
  AdminSetUserSettings: adminSetUserSettings,
  AdminDeleteSoftwareToken: adminDeleteSoftwareToken,
};


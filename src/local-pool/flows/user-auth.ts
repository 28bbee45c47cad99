// USER_AUTH, choice-based sign-in: which first factors a user can use (AvailableChallenges), the
// preferred factor or SELECT_CHALLENGE, the first step of each factor (shared by InitiateAuth and
// the SELECT_CHALLENGE answer), and what a name gets that the pool does not tell apart from a user
// (PreventUserExistenceErrors ENABLED): the same challenges, with nothing sent and nothing that passes.
import type { PoolContext } from '../context.js';
import { Errors } from '../api/errors.js';
import type { JsonObject } from '../api/validation.js';
import type { ClientRecord, PoolRecord, UserRecord } from '../store/model.js';
import { isFlowEnabled } from '../pools/config.js';
import { maskEmail, maskPhone } from '../pools/mfa.js';
import { allowsFirstFactor, poolTier, webAuthnConfiguration } from '../pools/sign-in-policy.js';
import { EMAIL, findUser } from '../pools/users.js';
import { hmacSha256, sha256Hex } from '../crypto/secrets.js';
import { isValidSrpA, newSecretBlock } from '../crypto/srp-server.js';
import { assertionRequest, relyingParty, usablePasskeys } from '../webauthn/passkeys.js';
import {
  checkNotLocked,
  checkSecretHash,
  hidesUserExistence,
  openChallenge,
  passwordMatches,
  refuseClosedAccountEarly,
  requireParameter,
  settlePasswordCheck,
  unknownUserError,
} from './sign-in.js';
import { openCodeChallenge } from './challenges/mfa.js';
import { preAuthentication } from '../triggers/authentication.js';
import { hasTrigger } from '../triggers/invoke.js';
import { continueAfterPassword } from './challenges/next-step.js';
import { checkPresentedDevice } from '../devices/devices.js';
import { openPasswordVerifier, openSimulatedPasswordVerifier, simulatedUserIdForSrp } from './challenges/password-verifier.js';

/** The challenges USER_AUTH starts with, in the order AvailableChallenges lists them. */
export const FIRST_FACTOR_CHALLENGES = ['PASSWORD_SRP', 'PASSWORD', 'EMAIL_OTP', 'SMS_OTP', 'WEB_AUTHN'] as const;
export type FirstFactorChallenge = (typeof FIRST_FACTOR_CHALLENGES)[number];

export const isFirstFactorChallenge = (name: string): name is FirstFactorChallenge =>
  (FIRST_FACTOR_CHALLENGES as readonly string[]).includes(name);

/** ALLOW_USER_AUTH on the client, and a feature plan that has choice-based sign-in. */
export function requireUserAuth(client: ClientRecord, pool: PoolRecord): void {
  if (!isFlowEnabled(client.config, 'USER_AUTH')) throw Errors.flowNotEnabled('USER_AUTH');
  if (poolTier(pool.config) === 'LITE') throw Errors.featureUnavailableInTier('Choice-based sign-in (USER_AUTH)');
}

// ---------- which factors ----------

const isClosed = (user: UserRecord): boolean => !user.enabled || user.status === 'UNCONFIRMED';

/** email / phone_number set and verified. */
const hasVerified = (user: UserRecord, attribute: 'email' | 'phone_number'): boolean =>
  Boolean(user.attributes[attribute]) && user.attributes[`${attribute}_verified`] === 'true';

/**
 * The factors the user can sign in with now: PASSWORD_SRP and PASSWORD with a password; EMAIL_OTP
 * with a verified email, SMS_OTP with a verified phone_number, WEB_AUTHN with a passkey of the pool's
 * relying party, each only where the pool's sign-in policy allows it. A user who must set or reset
 * a password (FORCE_CHANGE_PASSWORD, RESET_REQUIRED) gets only the password factors.
 */
export function availableChallenges(ctx: PoolContext, pool: PoolRecord, user: UserRecord): FirstFactorChallenge[] {
  const available: FirstFactorChallenge[] = user.credentials ? ['PASSWORD_SRP', 'PASSWORD'] : [];
  if (user.status === 'FORCE_CHANGE_PASSWORD' || user.status === 'RESET_REQUIRED') return available;
  if (allowsFirstFactor(pool.config, 'EMAIL_OTP') && hasVerified(user, 'email')) available.push('EMAIL_OTP');
  if (allowsFirstFactor(pool.config, 'SMS_OTP') && hasVerified(user, 'phone_number')) available.push('SMS_OTP');
  if (usablePasskeys(ctx, pool, user).length > 0) available.push('WEB_AUTHN');
  return available;
}

/** What a hidden name is offered: every factor the pool allows, as a user who has all of them. */
function simulatedChallenges(pool: PoolRecord): FirstFactorChallenge[] {
  return FIRST_FACTOR_CHALLENGES.filter((challenge) => {
    if (challenge === 'PASSWORD_SRP' || challenge === 'PASSWORD') return true;
    if (challenge === 'WEB_AUTHN') return allowsFirstFactor(pool.config, 'WEB_AUTHN') && webAuthnConfiguration(pool.config).RelyingPartyId !== undefined;
    return allowsFirstFactor(pool.config, challenge);
  });
}

/** GetUserAuthFactors' ConfiguredUserAuthFactors: what the user has set up, first factor or MFA. */
export function configuredAuthFactors(ctx: PoolContext, pool: PoolRecord, user: UserRecord): string[] {
  const mfa = user.mfa.enabled;
  return [
    ...(user.credentials ? ['PASSWORD'] : []),
    ...((allowsFirstFactor(pool.config, 'EMAIL_OTP') && hasVerified(user, 'email')) || mfa.includes('EMAIL_OTP') ? ['EMAIL_OTP'] : []),
    ...((allowsFirstFactor(pool.config, 'SMS_OTP') && hasVerified(user, 'phone_number')) || mfa.includes('SMS_MFA') ? ['SMS_OTP'] : []),
    ...(ctx.store.countWebAuthnCredentials(pool.id, user.sub) > 0 ? ['WEB_AUTHN'] : []),
    ...(mfa.includes('SOFTWARE_TOKEN_MFA') ? ['SOFTWARE_TOKEN'] : []),
  ];
}

// ---------- who signs in ----------

/**
 * The sign-in's subject. `hidden`: the pool must not tell what it is (a name that is no user, or a
 * disabled or unconfirmed account, with PreventUserExistenceErrors ENABLED): no code is sent and no
 * code or passkey passes; a password is still checked (and a closed account told once it is right).
 */
export interface Subject {
  typed: string;
  /** The canonical name the challenges show (USERNAME). */
  username: string;
  user: UserRecord | undefined;
  hidden: boolean;
}

/** Stable per pool and name, so that asking twice shows the same. */
const simulationSeed = (ctx: PoolContext, pool: PoolRecord, purpose: string, typed: string): Buffer =>
  hmacSha256(ctx.simulationKey, `${purpose}\u0000${pool.id}\u0000${typed.toLowerCase()}`);

/** The USERNAME a user of this pool would show for the typed name (the same as the simulated SRP challenge's). */
const simulatedUsername = (ctx: PoolContext, pool: PoolRecord, typed: string): string =>
  simulatedUserIdForSrp(pool, typed, ctx.srp.simulatedVerifier(ctx.simulationKey, pool.id, typed).userIdForSrp);

export function subjectOf(ctx: PoolContext, pool: PoolRecord, client: ClientRecord, typed: string, user: UserRecord | undefined): Subject {
  if (!user) {
    if (!hidesUserExistence(client)) throw Errors.userNotFound();
    return { typed, username: simulatedUsername(ctx, pool, typed), user: undefined, hidden: true };
  }
  refuseClosedAccountEarly(client, user);
  return { typed, username: user.username, user, hidden: isClosed(user) };
}

// ---------- InitiateAuth USER_AUTH ----------

export interface UserAuthInput {
  pool: PoolRecord;
  client: ClientRecord;
  parameters: Record<string, string>;
  /** InitiateAuth's ClientMetadata (PreAuthentication's validationData). */
  clientMetadata?: Record<string, string> | undefined;
}

/**
 * InitiateAuth USER_AUTH (without a ConfirmSignUp Session): the preferred factor's first step when
 * the user can use it; otherwise, or without PREFERRED_CHALLENGE, SELECT_CHALLENGE with the factors
 * the user can use.
 */
export async function initiateUserAuth(ctx: PoolContext, { pool, client, parameters, clientMetadata }: UserAuthInput): Promise<JsonObject> {
  requireUserAuth(client, pool);
  const typed = requireParameter(parameters, 'USERNAME');
  const preferred = parameters['PREFERRED_CHALLENGE'];
  if (preferred !== undefined && !isFirstFactorChallenge(preferred)) {
    throw Errors.invalidParameter(`PREFERRED_CHALLENGE must be one of ${FIRST_FACTOR_CHALLENGES.join(', ')}.`);
  }
  checkSecretHash(client, typed, parameters['SECRET_HASH']);
  let subject = subjectOf(ctx, pool, client, typed, findUser(ctx.store, pool, typed));
  if (hasTrigger(pool, 'PreAuthentication')) {
    await preAuthentication(ctx, { pool, client, user: subject.user, typedUsername: typed, validationData: clientMetadata });
    // The function is an await: the user as stored now.
    subject = subjectOf(ctx, pool, client, typed, subject.user && ctx.store.getUserBySub(pool.id, subject.user.sub));
  }
  const available = subject.hidden || !subject.user ? simulatedChallenges(pool) : availableChallenges(ctx, pool, subject.user);
  if (available.length === 0) throw Errors.incorrectCredentials();
  if (preferred !== undefined && available.includes(preferred)) {
    return startFactor(ctx, { pool, client, subject, parameters, attemptId: null, fromInitiateAuth: true }, preferred);
  }
  return openSelectChallenge(ctx, client, subject, available);
}

/** What a SELECT_CHALLENGE Session remembers. */
export interface SelectChallengeState {
  available: FirstFactorChallenge[];
  typed: string;
  hidden: boolean;
}

function openSelectChallenge(ctx: PoolContext, client: ClientRecord, subject: Subject, available: FirstFactorChallenge[]): JsonObject {
  const state: SelectChallengeState = { available, typed: subject.typed, hidden: subject.hidden };
  const opened = openChallenge(ctx, {
    client,
    userSub: subject.user?.sub ?? null,
    username: subject.username,
    challenge: 'SELECT_CHALLENGE',
    state: { ...state },
    parameters: { USERNAME: subject.username },
  });
  return { ...opened, AvailableChallenges: available };
}

// ---------- the first step of a factor ----------

export interface FactorStart {
  pool: PoolRecord;
  client: ClientRecord;
  subject: Subject;
  /** PASSWORD, SRP_A (AuthParameters or the SELECT_CHALLENGE answer). */
  parameters: Record<string, string>;
  attemptId: string | null;
  /** InitiateAuth answers a code or passkey challenge with AvailableChallenges [that challenge] (as observed). */
  fromInitiateAuth: boolean;
}

/** The input a factor needs, checked before anything is used up: PASSWORD, or a valid SRP_A. */
export function checkFactorInput(parameters: Record<string, string>, factor: FirstFactorChallenge): void {
  if (factor === 'PASSWORD') requireParameter(parameters, 'PASSWORD');
  if (factor === 'PASSWORD_SRP' && !isValidSrpA(requireParameter(parameters, 'SRP_A'))) {
    throw Errors.invalidParameter('SRP_A must be a hexadecimal SRP public value that is not 0 mod N');
  }
}

export async function startFactor(ctx: PoolContext, start: FactorStart, factor: FirstFactorChallenge): Promise<JsonObject> {
  checkFactorInput(start.parameters, factor);
  switch (factor) {
    case 'PASSWORD':
      return signInWithPassword(ctx, start, start.parameters['PASSWORD']!);
    case 'PASSWORD_SRP': {
      const { pool, client, subject } = start;
      const srpA = start.parameters['SRP_A']!;
      if (!subject.user?.credentials) return openSimulatedPasswordVerifier(ctx, { pool, client, typedUsername: subject.typed, srpA });
      return openPasswordVerifier(ctx, { client, user: subject.user }, srpA);
    }
    case 'EMAIL_OTP':
    case 'SMS_OTP':
      return openCodeFactor(ctx, start, factor);
    case 'WEB_AUTHN':
      return openWebAuthnChallenge(ctx, start);
  }
}

/** PASSWORD: the same checks as USER_PASSWORD_AUTH, then the usual next step (NEW_PASSWORD_REQUIRED, MFA, tokens). */
async function signInWithPassword(ctx: PoolContext, { pool, client, subject, attemptId, parameters }: FactorStart, password: string): Promise<JsonObject> {
  const { user } = subject;
  if (user?.credentials) checkNotLocked(ctx, user);
  const deviceKey = parameters['DEVICE_KEY'];
  checkPresentedDevice(ctx, pool, client, user?.credentials ? user : undefined, deviceKey);
  const proven = await passwordMatches(ctx, pool, user, password);
  if (!user?.credentials) throw unknownUserError(client);
  return continueAfterPassword(ctx, { pool, client, user: settlePasswordCheck(ctx, pool, client, user, proven), attemptId, deviceKey });
}

function openCodeFactor(ctx: PoolContext, start: FactorStart, factor: 'EMAIL_OTP' | 'SMS_OTP'): JsonObject | Promise<JsonObject> {
  const { pool, client, subject, attemptId, fromInitiateAuth } = start;
  const availableChallenges = fromInitiateAuth ? [factor] : undefined;
  if (subject.hidden || !subject.user) return openSimulatedCodeChallenge(ctx, start, factor);
  return openCodeChallenge(ctx, { pool, client, user: subject.user, attemptId }, factor, {
    firstFactor: true,
    ...(availableChallenges ? { availableChallenges } : {}),
  });
}

/**
 * A code challenge nobody can answer, shaped like a real one: the address or number masked (the
 * typed one if it looks like one, else a made-up one that stays the same for the name).
 */
function openSimulatedCodeChallenge(ctx: PoolContext, { pool, client, subject, attemptId, fromInitiateAuth }: FactorStart, factor: 'EMAIL_OTP' | 'SMS_OTP'): JsonObject {
  const seed = simulationSeed(ctx, pool, factor, subject.typed);
  const letter = (i: number) => String.fromCharCode(97 + (seed[i]! % 26));
  const digits = Array.from({ length: 4 }, (_, i) => String(seed[i + 2]! % 10)).join('');
  const email = subject.user?.attributes['email'] ?? (EMAIL.test(subject.typed) ? subject.typed : `${letter(0)}x@${letter(1)}x.com`);
  const phone = subject.user?.attributes['phone_number'] ?? (/^\+\d{5,15}$/.test(subject.typed) ? subject.typed : `+1555555${digits}`);
  const sms = factor === 'SMS_OTP';
  const opened = openChallenge(ctx, {
    client,
    userSub: null,
    username: subject.username,
    challenge: factor,
    // A code hash nothing hashes to; the responders refuse every code of a Session without a user anyway.
    state: { codeHash: sha256Hex(newSecretBlock()), firstFactor: true, typed: subject.typed },
    attemptId,
    parameters: {
      CODE_DELIVERY_DELIVERY_MEDIUM: sms ? 'SMS' : 'EMAIL',
      CODE_DELIVERY_DESTINATION: sms ? maskPhone(phone) : maskEmail(email),
      USER_ID_FOR_SRP: subject.username,
      USERNAME: subject.username,
    },
  });
  return fromInitiateAuth ? { ...opened, AvailableChallenges: [factor] } : opened;
}

/** What a WEB_AUTHN Session remembers. */
export interface WebAuthnState {
  /** The name typed at InitiateAuth (a simulated challenge's answers may name it so). */
  typed: string;
  challenge: string;
  rpId: string;
  requireUserVerification: boolean;
}

/**
 * WEB_AUTHN: CREDENTIAL_REQUEST_OPTIONS for the user's passkeys (a made-up one for a hidden name),
 * valid as long as the Session. User verification is required where the pool requires it, and where
 * MFA is required (the passkey then stands for MFA too).
 */
async function openWebAuthnChallenge(ctx: PoolContext, { pool, client, subject, attemptId, fromInitiateAuth }: FactorStart): Promise<JsonObject> {
  const rp = relyingParty(pool);
  const real = !subject.hidden && subject.user !== undefined;
  const credentials = real
    ? usablePasskeys(ctx, pool, subject.user!)
    : [{ credentialId: simulationSeed(ctx, pool, 'passkey', subject.typed).toString('base64url'), transports: ['internal', 'hybrid'] }];
  const request = await assertionRequest(rp, credentials, client.config.AuthSessionValidity * 60_000);
  const state: WebAuthnState = {
    typed: subject.typed,
    challenge: request.challenge,
    rpId: rp.id,
    requireUserVerification: rp.config.UserVerification === 'required' || pool.config.MfaConfiguration === 'ON',
  };
  const opened = openChallenge(ctx, {
    client,
    userSub: real ? subject.user!.sub : null,
    username: subject.username,
    challenge: 'WEB_AUTHN',
    state: { ...state },
    attemptId,
    parameters: { CREDENTIAL_REQUEST_OPTIONS: request.optionsJson, USERNAME: subject.username },
  });
  return fromInitiateAuth ? { ...opened, AvailableChallenges: ['WEB_AUTHN'] } : opened;
}

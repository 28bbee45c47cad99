// The MFA challenges: SMS_MFA, EMAIL_OTP, SOFTWARE_TOKEN_MFA,
// SELECT_MFA_TYPE and MFA_SETUP, and the code challenges of the passwordless first factors (EMAIL_OTP,
// SMS_OTP), which work the same way. Every challenge carries a Session and the canonical username; a
// wrong code leaves the Session usable until the pool's attempt limit ends it.
import type { PoolContext } from '../../context.js';
import { Errors } from '../../api/errors.js';
import {
  CODE_DIGITS,
  DEFAULT_EMAIL_MESSAGE,
  DEFAULT_EMAIL_SUBJECT,
  DEFAULT_SMS_MESSAGE,
  fillTemplate,
  maskEmail,
  maskPhone,
  newCode,
  poolMfaTypes,
  usableMfaTypes,
} from '../../pools/mfa.js';
import { MFA_TYPES, type AuthSessionRecord, type MfaType, type PoolRecord, type UserRecord } from '../../store/model.js';
import { safeEqual, sha256Hex } from '../../crypto/secrets.js';
import {
  claimSession,
  finishSignIn,
  openChallenge,
  requireParameter,
  unknownUserError,
  wrongCode,
  type SignInParties,
} from '../sign-in.js';
import { matchTotp } from '../../crypto/totp.js';
import { EMAIL } from '../../pools/users.js';
import type { JsonObject } from '../../api/validation.js';
import type { ChallengeStep } from './index.js';
import { customMessageTexts, customText } from '../../triggers/custom-message.js';

/** FRIENDLY_DEVICE_NAME when VerifySoftwareToken was given none (and for seeded secrets). */
export const DEFAULT_TOTP_DEVICE_NAME = 'TOTP device';

/** The challenges answered with a code the pool sent. */
export type CodeFactor = 'SMS_MFA' | 'EMAIL_OTP' | 'SMS_OTP';

export interface CodeState {
  /** SHA-256 of the code; the code itself is only in the outbox. */
  codeHash: string;
  /** MFA_SETUP's e-mail path: the address being set up (stored as the verified email on success). */
  setupEmail?: string;
  /** A passwordless first factor (USER_AUTH): a new code for the user ends this Session. */
  firstFactor?: true;
}

export interface CodeChallengeOptions {
  setupEmail?: string;
  /** USER_AUTH's EMAIL_OTP / SMS_OTP: the code replaces the user's earlier first-factor codes. */
  firstFactor?: boolean;
  /** InitiateAuth's AvailableChallenges next to the challenge. */
  availableChallenges?: string[];
}

export type MfaSetupStep = 'choose' | 'associated' | 'verified';

export interface MfaSetupState {
  step: MfaSetupStep;
  /** MFAS_CAN_SETUP. */
  choices: MfaType[];
}

const canonicalNames = (user: UserRecord) => ({ USER_ID_FOR_SRP: user.username, USERNAME: user.username });

// ---------- opening ----------

/** SMS_MFA / EMAIL_OTP (a code is "sent" through the outbox) or SOFTWARE_TOKEN_MFA. */
export async function openMfaChallenge(ctx: PoolContext, parties: SignInParties, type: MfaType): Promise<JsonObject> {
  if (type === 'SOFTWARE_TOKEN_MFA') {
    const { client, user, attemptId } = parties;
    return openChallenge(ctx, {
      client,
      userSub: user.sub,
      username: user.username,
      challenge: 'SOFTWARE_TOKEN_MFA',
      state: {},
      attemptId: attemptId ?? null,
      parameters: { FRIENDLY_DEVICE_NAME: user.mfa.totp?.deviceName ?? DEFAULT_TOTP_DEVICE_NAME, ...canonicalNames(user) },
    });
  }
  return openCodeChallenge(ctx, parties, type);
}

export async function openCodeChallenge(
  ctx: PoolContext,
  parties: SignInParties,
  type: CodeFactor,
  { setupEmail, firstFactor = false, availableChallenges }: CodeChallengeOptions = {},
): Promise<JsonObject> {
  const { pool, client, attemptId } = parties;
  const texts = await customMessageTexts(ctx, { pool, clientId: client.id, source: 'CustomMessage_Authentication', user: parties.user, clientMetadata: parties.clientMetadata });
  // After the function ran: the user as stored now (its number or address may have changed meanwhile).
  const user = texts === undefined ? parties.user : ctx.store.getUserBySub(pool.id, parties.user.sub);
  if (!user) throw unknownUserError(client);
  const code = newCode(CODE_DIGITS[type]);
  const sms = type !== 'EMAIL_OTP';
  const destination = sms ? user.attributes['phone_number'] : (setupEmail ?? user.attributes['email']);
  if (destination === undefined) throw Errors.invalidParameter(`The user has no ${sms ? 'phone_number' : 'email'} to send the code to.`);
  const email = pool.config.EmailMfaConfiguration;
  const custom = customText(texts, sms ? 'SMS' : 'EMAIL');
  ctx.outbox.send({
    userPoolId: pool.id,
    username: user.username,
    medium: sms ? 'SMS' : 'EMAIL',
    destination,
    ...(sms ? {} : { subject: custom.subject ?? email?.Subject ?? DEFAULT_EMAIL_SUBJECT }),
    message: fillTemplate(
      custom.message ?? (sms ? (pool.config.SmsMfaConfiguration?.SmsAuthenticationMessage ?? DEFAULT_SMS_MESSAGE) : (email?.Message ?? DEFAULT_EMAIL_MESSAGE)),
      code,
    ),
    code,
    purpose: setupEmail !== undefined ? 'MFA_SETUP' : firstFactor ? 'SIGN_IN' : 'MFA',
  });
  if (firstFactor) ctx.store.endFlaggedSessions(pool.id, user.sub, 'firstFactor', ctx.clock.now());
  const state: CodeState = {
    codeHash: sha256Hex(code),
    ...(setupEmail !== undefined ? { setupEmail } : {}),
    ...(firstFactor ? { firstFactor: true as const } : {}),
  };
  const opened = openChallenge(ctx, {
    client,
    userSub: user.sub,
    username: user.username,
    challenge: type,
    state: { ...state },
    attemptId: attemptId ?? null,
    parameters: {
      CODE_DELIVERY_DELIVERY_MEDIUM: sms ? 'SMS' : 'EMAIL',
      CODE_DELIVERY_DESTINATION: sms ? maskPhone(destination) : maskEmail(destination),
      ...canonicalNames(user),
    },
  });
  return availableChallenges ? { ...opened, AvailableChallenges: availableChallenges } : opened;
}

export function openSelectMfaType(ctx: PoolContext, { client, user, attemptId }: SignInParties, choices: MfaType[]): JsonObject {
  return openChallenge(ctx, {
    client,
    userSub: user.sub,
    username: user.username,
    challenge: 'SELECT_MFA_TYPE',
    state: { choices },
    attemptId: attemptId ?? null,
    parameters: { MFAS_CAN_CHOOSE: JSON.stringify(choices), ...canonicalNames(user) },
  });
}

/** MFA_SETUP; also the Sessions AssociateSoftwareToken and VerifySoftwareToken hand out (steps). */
export function openMfaSetup(
  ctx: PoolContext,
  { client, user, attemptId }: SignInParties,
  choices: MfaType[],
  step: MfaSetupStep = 'choose',
): JsonObject {
  const state: MfaSetupState = { step, choices };
  return openChallenge(ctx, {
    client,
    userSub: user.sub,
    username: user.username,
    challenge: 'MFA_SETUP',
    state: { ...state },
    attemptId: attemptId ?? null,
    parameters: { MFAS_CAN_SETUP: JSON.stringify(choices), ...canonicalNames(user) },
  });
}

// ---------- answering ----------

/** The session's user, still there and enabled. */
function sessionUser(ctx: PoolContext, { pool, client, session }: ChallengeStep): UserRecord {
  const user = session.userSub === null ? undefined : ctx.store.getUserBySub(pool.id, session.userSub);
  if (!user) throw unknownUserError(client);
  if (!user.enabled) throw Errors.userDisabled();
  return user;
}

function saveUser(ctx: PoolContext, user: UserRecord, touched: boolean): UserRecord {
  const saved = touched ? { ...user, updatedAt: ctx.clock.now() } : user;
  ctx.store.saveUser(saved);
  return saved;
}

function checkCode(ctx: PoolContext, session: AuthSessionRecord, answer: string): void {
  const { codeHash } = session.state as unknown as CodeState;
  if (!safeEqual(sha256Hex(answer), codeHash)) throw wrongCode(ctx, session, Errors.codeMismatch);
}

/** The simulated code challenge of a name that is no user (PreventUserExistenceErrors): every code is wrong. */
function refuseSimulated(ctx: PoolContext, session: AuthSessionRecord): void {
  if (session.userSub === null) throw wrongCode(ctx, session, Errors.codeMismatch);
}

/** Tokens after a code; an MFA code (not a passwordless first factor's) also proves the sign-in's device (devices/). */
const finish = (ctx: PoolContext, step: ChallengeStep, user: UserRecord) =>
  finishSignIn(ctx, {
    pool: step.pool,
    client: step.client,
    user,
    attemptId: step.session.attemptId,
    clientMetadata: step.clientMetadata,
    mfaPassed: (step.session.state as Partial<CodeState>).firstFactor !== true,
  });

/** SMS_MFA (SMS_MFA_CODE) and the first factor SMS_OTP (SMS_OTP_CODE). */
const smsCodeResponder = (parameter: 'SMS_MFA_CODE' | 'SMS_OTP_CODE') => async (ctx: PoolContext, step: ChallengeStep): Promise<JsonObject> => {
  const code = requireParameter(step.responses, parameter);
  refuseSimulated(ctx, step.session);
  const user = sessionUser(ctx, step);
  checkCode(ctx, step.session, code);
  claimSession(ctx, step.session);
  // A phone number that received a code is verified from now on, as Cognito does.
  const verified = user.attributes['phone_number_verified'] === 'true';
  const updated = verified ? user : saveUser(ctx, { ...user, attributes: { ...user.attributes, phone_number_verified: 'true' } }, true);
  return finish(ctx, step, updated);
};

/** EMAIL_OTP_CODE, or the model prose's EMAIL_MFA_CODE / EMAIL_MFA. */
const emailCodeOf = (responses: Record<string, string>): string =>
  responses['EMAIL_OTP_CODE'] || responses['EMAIL_MFA_CODE'] || responses['EMAIL_MFA'] || requireParameter(responses, 'EMAIL_OTP_CODE');

async function respondToEmailOtp(ctx: PoolContext, step: ChallengeStep): Promise<JsonObject> {
  const code = emailCodeOf(step.responses);
  refuseSimulated(ctx, step.session);
  const user = sessionUser(ctx, step);
  checkCode(ctx, step.session, code);
  const { setupEmail } = step.session.state as unknown as CodeState;
  // Checked when the address was chosen, and again now: another user may have taken it meanwhile.
  if (setupEmail !== undefined) checkSetupEmailFree(ctx, step.pool, user, setupEmail);
  claimSession(ctx, step.session);
  if (setupEmail !== undefined) {
    const enabled = user.mfa.enabled.includes('EMAIL_OTP') ? user.mfa.enabled : [...user.mfa.enabled, 'EMAIL_OTP' as const];
    const updated = saveUser(
      ctx,
      {
        ...user,
        attributes: { ...user.attributes, email: setupEmail, email_verified: 'true' },
        mfa: { ...user.mfa, enabled: orderMfa(enabled) },
      },
      true,
    );
    return finish(ctx, step, updated);
  }
  const verified = user.attributes['email_verified'] === 'true';
  const updated = verified ? user : saveUser(ctx, { ...user, attributes: { ...user.attributes, email_verified: 'true' } }, true);
  return finish(ctx, step, updated);
}

async function respondToSoftwareTokenMfa(ctx: PoolContext, step: ChallengeStep): Promise<JsonObject> {
  const code = requireParameter(step.responses, 'SOFTWARE_TOKEN_MFA_CODE');
  const user = sessionUser(ctx, step);
  const device = user.mfa.totp;
  if (!device) throw Errors.softwareTokenMfaNotFound();
  const matched = matchTotp(device.secret, code, ctx.clock.now());
  // A code whose time step was already used (or an older one) is refused: no replay.
  if (matched === null || (device.lastStep !== null && matched <= device.lastStep)) {
    throw wrongCode(ctx, step.session, Errors.codeMismatch);
  }
  claimSession(ctx, step.session);
  const updated = saveUser(ctx, { ...user, mfa: { ...user.mfa, totp: { ...device, lastStep: matched } } }, false);
  return finish(ctx, step, updated);
}

const MFA_ANSWERS: Readonly<Record<string, MfaType>> = {
  SMS_MFA: 'SMS_MFA',
  SOFTWARE_TOKEN_MFA: 'SOFTWARE_TOKEN_MFA',
  EMAIL_OTP: 'EMAIL_OTP',
  EMAIL_MFA: 'EMAIL_OTP',
};

async function respondToSelectMfaType(ctx: PoolContext, step: ChallengeStep): Promise<JsonObject> {
  const answer = requireParameter(step.responses, 'ANSWER');
  const type = Object.hasOwn(MFA_ANSWERS, answer) ? MFA_ANSWERS[answer] : undefined;
  if (!type) throw Errors.invalidParameter('ANSWER must be one of SMS_MFA, SOFTWARE_TOKEN_MFA, EMAIL_OTP.');
  const { choices } = step.session.state as { choices: MfaType[] };
  const user = sessionUser(ctx, step);
  if (!choices.includes(type) || !usableMfaTypes(step.pool, user).includes(type)) throw Errors.mfaMethodNotFound(type);
  claimSession(ctx, step.session);
  return openMfaChallenge(ctx, { pool: step.pool, client: step.client, user, attemptId: step.session.attemptId, clientMetadata: step.clientMetadata }, type);
}

async function respondToMfaSetup(ctx: PoolContext, step: ChallengeStep): Promise<JsonObject> {
  const { pool, client, session, responses } = step;
  const state = session.state as unknown as MfaSetupState;
  const user = sessionUser(ctx, step);
  if (state.step === 'verified') {
    // The authenticator was verified with this Session (VerifySoftwareToken): TOTP MFA is on.
    if (!user.mfa.totp) throw Errors.softwareTokenMfaNotFound();
    claimSession(ctx, session);
    const enabled = orderMfa([...new Set([...user.mfa.enabled, 'SOFTWARE_TOKEN_MFA' as const])]);
    return finish(ctx, step, saveUser(ctx, { ...user, mfa: { ...user.mfa, enabled } }, true));
  }
  const email = responses['EMAIL'];
  if (email === undefined || email === '') {
    if (state.choices.includes('SOFTWARE_TOKEN_MFA')) throw Errors.softwareTokenMfaNotFound();
    throw Errors.invalidParameter('Missing required parameter EMAIL');
  }
  if (!state.choices.includes('EMAIL_OTP') || !poolMfaTypes(pool.config).includes('EMAIL_OTP')) {
    throw Errors.mfaMethodNotFound('EMAIL_OTP');
  }
  if (!EMAIL.test(email)) throw Errors.invalidParameter('Invalid email address format.');
  checkSetupEmailFree(ctx, pool, user, email);
  claimSession(ctx, session);
  return openCodeChallenge(ctx, { pool, client, user, attemptId: session.attemptId, clientMetadata: step.clientMetadata }, 'EMAIL_OTP', { setupEmail: email });
}

const orderMfa = (types: MfaType[]): MfaType[] => MFA_TYPES.filter((t) => types.includes(t));

/** AliasExistsException when the address MFA_SETUP sets up is another user's and e-mail addresses sign in here. */
function checkSetupEmailFree(ctx: PoolContext, pool: PoolRecord, user: UserRecord, email: string): void {
  const emailSignsIn = pool.config.UsernameAttributes.includes('email') || pool.config.AliasAttributes.includes('email');
  if (emailSignsIn && ctx.store.findUsersByAttribute(pool.id, 'email', email).some((other) => other.sub !== user.sub)) {
    throw Errors.aliasExists();
  }
}

export const mfaResponders: Readonly<Record<string, (ctx: PoolContext, step: ChallengeStep) => Promise<JsonObject>>> = {
  SMS_MFA: smsCodeResponder('SMS_MFA_CODE'),
  SMS_OTP: smsCodeResponder('SMS_OTP_CODE'),
  EMAIL_OTP: respondToEmailOtp,
  SOFTWARE_TOKEN_MFA: respondToSoftwareTokenMfa,
  SELECT_MFA_TYPE: respondToSelectMfaType,
  MFA_SETUP: respondToMfaSetup,
};


// Passkeys of the local pool: registration (StartWebAuthnRegistration / CompleteWebAuthnRegistration)
// and sign-in assertions (the WEB_AUTHN challenge). Every ceremony is built and verified by
// @simplewebauthn/server; this module decides what is asked for, which origins count, what is kept,
// and which Cognito exception a failure is.
import {
  generateAuthenticationOptions,
  generateRegistrationOptions,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
  type AuthenticationResponseJSON,
  type AuthenticatorTransportFuture,
  type RegistrationResponseJSON,
} from '@simplewebauthn/server';
import { decodeClientDataJSON, isoBase64URL } from '@simplewebauthn/server/helpers';
import type { PoolContext } from '../context.js';
import { Errors } from '../api/errors.js';
import { isPlainObject, type JsonObject } from '../api/validation.js';
import type { ClientRecord, PoolRecord, UserRecord, WebAuthnConfig, WebAuthnCredentialRecord } from '../store/model.js';
import { allowsFirstFactor, webAuthnConfiguration } from '../pools/sign-in-policy.js';

/** Passkeys one user may have (Cognito's quota). */
export const MAX_PASSKEYS_PER_USER = 20;
/** How long a registration challenge waits for CompleteWebAuthnRegistration (and the creation options' timeout). */
export const REGISTRATION_TTL_MS = 5 * 60_000;

/**
 * Whether a page of `origin` may use passkeys of `rpId`: its host is the relying party ID or a
 * subdomain of it, over https; over http only for localhost (and *.localhost), on any port.
 */
export function isAllowedOrigin(origin: string, rpId: string): boolean {
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return false;
  }
  if (url.origin !== origin) return false;
  const host = url.hostname;
  if (host !== rpId && !host.endsWith(`.${rpId}`)) return false;
  if (url.protocol === 'https:') return true;
  return url.protocol === 'http:' && (host === 'localhost' || host.endsWith('.localhost'));
}

/** The pool's relying party, when passkeys are on and configured. */
export function relyingParty(pool: PoolRecord): { id: string; config: WebAuthnConfig } {
  if (!allowsFirstFactor(pool.config, 'WEB_AUTHN')) throw Errors.webAuthnNotEnabled();
  const config = webAuthnConfiguration(pool.config);
  if (config.RelyingPartyId === undefined) throw Errors.webAuthnConfigurationMissing();
  return { id: config.RelyingPartyId, config };
}

/** The passkeys of the user that belong to the pool's current relying party ID (the others cannot sign in). */
export function usablePasskeys(ctx: PoolContext, pool: PoolRecord, user: UserRecord): WebAuthnCredentialRecord[] {
  const rpId = webAuthnConfiguration(pool.config).RelyingPartyId;
  if (rpId === undefined || !allowsFirstFactor(pool.config, 'WEB_AUTHN')) return [];
  return ctx.store.listWebAuthnCredentials(pool.id, user.sub, MAX_PASSKEYS_PER_USER).filter((c) => c.relyingPartyId === rpId);
}

/** WebAuthn's user.id: the sub's bytes, so an assertion's userHandle names the user. */
const userHandle = (user: UserRecord) => Uint8Array.from(Buffer.from(user.sub, 'utf8'));

/** The name a passkey manager shows: the username, or the address / number where usernames are subs. */
function accountName(pool: PoolRecord, user: UserRecord): string {
  if (pool.config.UsernameAttributes.length === 0) return user.username;
  return user.attributes['email'] ?? user.attributes['phone_number'] ?? user.username;
}

const transportsOf = (value: unknown): AuthenticatorTransportFuture[] =>
  Array.isArray(value) ? (value.filter((t) => typeof t === 'string') as AuthenticatorTransportFuture[]) : [];

// ---------- registration ----------

/** StartWebAuthnRegistration: creation options (a JSON object); the challenge waits, one per user, for Complete. */
export async function startRegistration(ctx: PoolContext, pool: PoolRecord, client: ClientRecord | undefined, user: UserRecord): Promise<JsonObject> {
  const rp = relyingParty(pool);
  const existing = ctx.store.listWebAuthnCredentials(pool.id, user.sub, MAX_PASSKEYS_PER_USER + 1);
  if (existing.length >= MAX_PASSKEYS_PER_USER) throw Errors.limitExceeded();
  const name = accountName(pool, user);
  const options = await generateRegistrationOptions({
    rpName: pool.name,
    rpID: rp.id,
    userName: name,
    userID: userHandle(user),
    userDisplayName: user.attributes['name'] ?? name,
    timeout: REGISTRATION_TTL_MS,
    attestationType: 'none',
    excludeCredentials: existing.map((c) => ({ id: c.credentialId, transports: transportsOf(c.transports) })),
    authenticatorSelection: { residentKey: 'required', requireResidentKey: true, userVerification: rp.config.UserVerification },
  });
  const now = ctx.clock.now();
  ctx.store.putWebAuthnRegistration({
    poolId: pool.id,
    userSub: user.sub,
    clientId: client?.id ?? null,
    challenge: options.challenge,
    relyingPartyId: rp.id,
    userVerification: rp.config.UserVerification,
    createdAt: now,
    expiresAt: now + REGISTRATION_TTL_MS,
  });
  return options as unknown as JsonObject;
}

function readRegistrationResponse(credential: JsonObject): RegistrationResponseJSON {
  const response = credential['response'];
  const ok =
    typeof credential['id'] === 'string' &&
    typeof credential['rawId'] === 'string' &&
    credential['type'] === 'public-key' &&
    isPlainObject(response) &&
    typeof response['clientDataJSON'] === 'string' &&
    typeof response['attestationObject'] === 'string';
  if (!ok) throw Errors.webAuthnCredentialInvalid();
  return { clientExtensionResults: {}, ...credential } as unknown as RegistrationResponseJSON;
}

/** The origin the browser put into clientDataJSON (InvalidParameter when it is not readable). */
function clientOrigin(clientDataJSON: string): string {
  try {
    const origin = decodeClientDataJSON(clientDataJSON).origin;
    if (typeof origin === 'string') return origin;
  } catch {
    // reported below
  }
  throw Errors.webAuthnCredentialInvalid();
}

/** The friendly name a new passkey gets: where it was created. */
const friendlyName = (origin: string): string => `Passkey on ${new URL(origin).host}`;

/**
 * CompleteWebAuthnRegistration: takes the pending challenge (single use, also when verification
 * fails), verifies the attestation ("none" is enough) and stores the credential.
 */
export async function completeRegistration(
  ctx: PoolContext,
  pool: PoolRecord,
  client: ClientRecord | undefined,
  user: UserRecord,
  credential: JsonObject,
): Promise<void> {
  relyingParty(pool);
  const response = readRegistrationResponse(credential);
  const pending = ctx.store.takeWebAuthnRegistration(pool.id, user.sub);
  if (!pending || ctx.clock.now() >= pending.expiresAt) throw Errors.webAuthnChallengeNotFound();
  if (pending.clientId !== (client?.id ?? null)) throw Errors.webAuthnClientMismatch();
  const origin = clientOrigin(response.response.clientDataJSON);
  if (!isAllowedOrigin(origin, pending.relyingPartyId)) throw Errors.webAuthnOriginNotAllowed();
  let verified: Awaited<ReturnType<typeof verifyRegistrationResponse>>;
  try {
    verified = await verifyRegistrationResponse({
      response,
      expectedChallenge: pending.challenge,
      expectedOrigin: origin,
      expectedRPID: pending.relyingPartyId,
      requireUserVerification: pending.userVerification === 'required',
    });
  } catch (error) {
    throw registrationFailure(error);
  }
  if (!verified.verified) throw Errors.webAuthnCredentialNotSupported('The passkey attestation could not be verified.');
  const info = verified.registrationInfo;
  if (ctx.store.countWebAuthnCredentials(pool.id, user.sub) >= MAX_PASSKEYS_PER_USER) throw Errors.limitExceeded();
  const stored = ctx.store.insertWebAuthnCredential({
    poolId: pool.id,
    userSub: user.sub,
    credentialId: info.credential.id,
    publicKey: isoBase64URL.fromBuffer(info.credential.publicKey),
    signCount: info.credential.counter,
    transports: transportsOf(response.response.transports ?? info.credential.transports),
    authenticatorAttachment: typeof response.authenticatorAttachment === 'string' ? response.authenticatorAttachment : null,
    friendlyName: friendlyName(origin),
    relyingPartyId: pending.relyingPartyId,
    createdAt: ctx.clock.now(),
  });
  if (!stored) throw Errors.webAuthnCredentialNotSupported('This passkey is already registered.');
}

/** A verification failure as the exception Cognito declares for it (the library's text stays here). */
function registrationFailure(error: unknown) {
  const message = error instanceof Error ? error.message : '';
  if (/RP ID/i.test(message)) return Errors.webAuthnRelyingPartyMismatch();
  if (/challenge/i.test(message)) return Errors.webAuthnChallengeNotFound();
  if (/user verification/i.test(message)) return Errors.webAuthnCredentialNotSupported('The user pool requires user verification; this passkey did not verify the user.');
  if (/alg|attestation/i.test(message)) return Errors.webAuthnCredentialNotSupported('The passkey uses an algorithm or attestation the user pool does not support.');
  return Errors.webAuthnCredentialNotSupported('The passkey registration response could not be verified.');
}

// ---------- sign-in ----------

export interface AssertionRequest {
  /** CREDENTIAL_REQUEST_OPTIONS as Cognito sends it (JSON text of PublicKeyCredentialRequestOptionsJSON). */
  optionsJson: string;
  challenge: string;
}

/** Request options for the user's passkeys (or for `fakeCredentialIds`, for a name that is not a user). */
export async function assertionRequest(
  rp: { id: string; config: WebAuthnConfig },
  credentials: ReadonlyArray<{ credentialId: string; transports: string[] }>,
  timeoutMs: number,
): Promise<AssertionRequest> {
  const options = await generateAuthenticationOptions({
    rpID: rp.id,
    allowCredentials: credentials.map((c) => ({ id: c.credentialId, transports: transportsOf(c.transports) })),
    userVerification: rp.config.UserVerification,
    timeout: timeoutMs,
  });
  return { optionsJson: JSON.stringify(options), challenge: options.challenge };
}

/** CREDENTIAL, the JSON text of an AuthenticationResponseJSON (InvalidParameter when it is not one). */
export function readAssertion(text: string): AuthenticationResponseJSON {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  const response = isPlainObject(parsed) ? parsed['response'] : undefined;
  const ok =
    isPlainObject(parsed) &&
    typeof parsed['id'] === 'string' &&
    typeof parsed['rawId'] === 'string' &&
    parsed['type'] === 'public-key' &&
    isPlainObject(response) &&
    typeof response['clientDataJSON'] === 'string' &&
    typeof response['authenticatorData'] === 'string' &&
    typeof response['signature'] === 'string';
  if (!ok) {
    throw Errors.invalidParameter(
      'CREDENTIAL must be the JSON text of an AuthenticationResponseJSON: id, rawId, type "public-key", response {clientDataJSON, authenticatorData, signature}.',
    );
  }
  return { clientExtensionResults: {}, ...(parsed as object) } as AuthenticationResponseJSON;
}

/**
 * Whether the assertion proves one of the user's passkeys for this challenge; on success the sign
 * counter has moved (compare-and-set: of two parallel uses of one counter value only one passes).
 */
export async function verifyAssertion(
  ctx: PoolContext,
  input: { pool: PoolRecord; user: UserRecord; rpId: string; challenge: string; requireUserVerification: boolean; assertion: AuthenticationResponseJSON },
): Promise<boolean> {
  const { pool, user, rpId, assertion } = input;
  const credential = ctx.store.getWebAuthnCredential(pool.id, assertion.id);
  if (!credential || credential.userSub !== user.sub || credential.relyingPartyId !== rpId) return false;
  const handle = assertion.response.userHandle;
  if (handle !== undefined && handle !== isoBase64URL.fromBuffer(userHandle(user))) return false;
  let origin: string;
  try {
    origin = decodeClientDataJSON(assertion.response.clientDataJSON).origin;
  } catch {
    return false;
  }
  if (typeof origin !== 'string' || !isAllowedOrigin(origin, rpId)) return false;
  try {
    const verified = await verifyAuthenticationResponse({
      response: assertion,
      expectedChallenge: input.challenge,
      expectedOrigin: origin,
      expectedRPID: rpId,
      credential: {
        id: credential.credentialId,
        publicKey: isoBase64URL.toBuffer(credential.publicKey),
        counter: credential.signCount,
        transports: transportsOf(credential.transports),
      },
      requireUserVerification: input.requireUserVerification,
    });
    if (!verified.verified) return false;
    return ctx.store.advanceSignCount(pool.id, credential.credentialId, credential.signCount, verified.authenticationInfo.newCounter);
  } catch {
    return false;
  }
}

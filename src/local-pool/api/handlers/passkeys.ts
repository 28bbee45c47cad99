// Passkey operations of a signed-in user (access token): StartWebAuthnRegistration,
// CompleteWebAuthnRegistration, ListWebAuthnCredentials, DeleteWebAuthnCredential.
import type { Handler, HandlerRegistry } from '../../context.js';
import { Errors } from '../errors.js';
import type { WebAuthnCredentialRecord } from '../../store/model.js';
import { completeRegistration, MAX_PASSKEYS_PER_USER, startRegistration } from '../../webauthn/passkeys.js';
import { Rules, Validator, type JsonObject } from '../validation.js';
import { authenticateWithClient } from './user.js';

const startWebAuthnRegistration: Handler = async (input, ctx) => {
  const v = new Validator(input);
  const token = v.requiredString('AccessToken', Rules.token);
  v.done();
  const { user, pool, client } = await authenticateWithClient(ctx, token);
  return { CredentialCreationOptions: await startRegistration(ctx, pool, client, user) };
};

const completeWebAuthnRegistration: Handler = async (input, ctx) => {
  const v = new Validator(input);
  const token = v.requiredString('AccessToken', Rules.token);
  const credential = v.optionalObject('Credential');
  if (credential === undefined) v.requiredString('Credential');
  v.done();
  const { user, pool, client } = await authenticateWithClient(ctx, token);
  await completeRegistration(ctx, pool, client, user, credential!);
  return {};
};

/** NextToken: where the previous page ended (keyset, so deleting a passkey never skips another). */
const pageAfter = {
  encode: (last: WebAuthnCredentialRecord): string => Buffer.from(JSON.stringify([last.createdAt, last.credentialId])).toString('base64url'),
  decode(token: string): { createdAt: number; credentialId: string } {
    try {
      const [createdAt, credentialId] = JSON.parse(Buffer.from(token, 'base64url').toString()) as unknown[];
      if (typeof createdAt === 'number' && typeof credentialId === 'string') return { createdAt, credentialId };
    } catch {
      // reported below
    }
    throw Errors.invalidParameter('Invalid NextToken.');
  },
};

const describeCredential = (c: WebAuthnCredentialRecord): JsonObject => ({
  CredentialId: c.credentialId,
  FriendlyCredentialName: c.friendlyName,
  RelyingPartyId: c.relyingPartyId,
  ...(c.authenticatorAttachment !== null ? { AuthenticatorAttachment: c.authenticatorAttachment } : {}),
  AuthenticatorTransports: c.transports,
  CreatedAt: c.createdAt / 1000,
});

/** Oldest first; MaxResults 0 or left out is the most one user can have (20). */
const listWebAuthnCredentials: Handler = async (input, ctx) => {
  const v = new Validator(input);
  const token = v.requiredString('AccessToken', Rules.token);
  const nextToken = v.optionalString('NextToken', { min: 1, max: 1024 });
  const maxResults = v.optionalInteger('MaxResults', 0, MAX_PASSKEYS_PER_USER);
  v.done();
  const after = nextToken === undefined ? undefined : pageAfter.decode(nextToken);
  const { user, pool } = await authenticateWithClient(ctx, token);
  const limit = maxResults || MAX_PASSKEYS_PER_USER;
  const rows = ctx.store.listWebAuthnCredentials(pool.id, user.sub, limit + 1, after);
  const page = rows.slice(0, limit);
  return { Credentials: page.map(describeCredential), ...(rows.length > limit ? { NextToken: pageAfter.encode(page.at(-1)!) } : {}) };
};

const deleteWebAuthnCredential: Handler = async (input, ctx) => {
  const v = new Validator(input);
  const token = v.requiredString('AccessToken', Rules.token);
  const credentialId = v.requiredString('CredentialId', { min: 1, max: 1024 });
  v.done();
  const { user, pool } = await authenticateWithClient(ctx, token);
  if (!ctx.store.deleteWebAuthnCredential(pool.id, user.sub, credentialId)) throw Errors.webAuthnCredentialNotFound();
  return {};
};

export const passkeyHandlers: HandlerRegistry = {
  StartWebAuthnRegistration: startWebAuthnRegistration,
  CompleteWebAuthnRegistration: completeWebAuthnRegistration,
  ListWebAuthnCredentials: listWebAuthnCredentials,
  DeleteWebAuthnCredential: deleteWebAuthnCredential,
};

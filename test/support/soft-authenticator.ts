// A software passkey authenticator for tests: what a browser plus an authenticator hand a web page
// from navigator.credentials.create() / get(), as the JSON the WebAuthn spec (and Cognito) uses.
// ES256 keys from node:crypto, "none" attestation, CBOR from @simplewebauthn/server's helpers; it
// signs whatever it is asked to, so tests can also make it lie (another origin, an old counter).
import { createHash, generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';
import { isoCBOR } from '@simplewebauthn/server/helpers';

type Json = Record<string, unknown>;

/** The creation options Cognito's StartWebAuthnRegistration answers (the parts an authenticator reads). */
export interface CreationOptions {
  challenge: string;
  rp: { id?: string; name?: string };
  user: { id: string; name: string; displayName?: string };
  excludeCredentials?: Array<{ id: string }>;
}

/** CREDENTIAL_REQUEST_OPTIONS of a WEB_AUTHN challenge (the parts an authenticator reads). */
export interface RequestOptions {
  challenge: string;
  rpId?: string;
  allowCredentials?: Array<{ id: string }>;
  userVerification?: string;
}

export interface StoredPasskey {
  id: string;
  rpId: string;
  userHandle: string;
  privateKey: KeyObject;
  counter: number;
}

export interface CeremonyOverrides {
  /** The page's origin as the browser reports it (default: the authenticator's origin). */
  origin?: string;
  /** Sign another challenge than the one asked for. */
  challenge?: string;
  /** Hash another relying party ID into the authenticator data. */
  rpId?: string;
  /** Which of the stored passkeys answers (default: the first one the options allow). */
  credentialId?: string;
  /** Report this counter instead of the next one. */
  counter?: number;
  /** The user-verified flag (default: the authenticator's `userVerified`). */
  userVerified?: boolean;
}

const b64url = (bytes: Uint8Array): string => Buffer.from(bytes).toString('base64url');
const sha256 = (bytes: Uint8Array | string): Buffer => createHash('sha256').update(bytes).digest();

const FLAG_UP = 0x01;
const FLAG_UV = 0x04;
const FLAG_AT = 0x40;

export class SoftAuthenticator {
  readonly passkeys = new Map<string, StoredPasskey>();

  constructor(
    readonly options: {
      /** The origin of the page using it, e.g. http://localhost:5173. */
      origin: string;
      attachment?: 'platform' | 'cross-platform';
      transports?: string[];
      /** Whether it verifies the user (UV flag). Default true. */
      userVerified?: boolean;
      /** Counter step per sign-in; 0 = an authenticator without a counter. Default 1. */
      counterStep?: number;
    },
  ) {}

  private authenticatorData(rpId: string, flags: number, counter: number, attested?: Uint8Array): Buffer {
    const count = Buffer.alloc(4);
    count.writeUInt32BE(counter);
    return Buffer.concat([sha256(rpId), Buffer.from([flags]), count, ...(attested ? [attested] : [])]);
  }

  private clientData(type: 'webauthn.create' | 'webauthn.get', challenge: string, origin: string): Buffer {
    return Buffer.from(JSON.stringify({ type, challenge, origin, crossOrigin: false }));
  }

  /** navigator.credentials.create(): a RegistrationResponseJSON (the Credential of CompleteWebAuthnRegistration). */
  create(options: CreationOptions, overrides: CeremonyOverrides = {}): Json {
    const rpId = overrides.rpId ?? options.rp.id ?? new URL(this.options.origin).hostname;
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const jwk = publicKey.export({ format: 'jwk' });
    const cose = isoCBOR.encode(
      new Map<number, number | Uint8Array>([
        [1, 2], // kty: EC2
        [3, -7], // alg: ES256
        [-1, 1], // crv: P-256
        [-2, Buffer.from(jwk.x!, 'base64url')],
        [-3, Buffer.from(jwk.y!, 'base64url')],
      ]),
    );
    const credentialId = randomBytes(32);
    const idLength = Buffer.alloc(2);
    idLength.writeUInt16BE(credentialId.length);
    const attested = Buffer.concat([Buffer.alloc(16), idLength, credentialId, Buffer.from(cose)]);
    const verified = overrides.userVerified ?? this.options.userVerified ?? true;
    const counter = overrides.counter ?? 0;
    const authData = this.authenticatorData(rpId, FLAG_UP | (verified ? FLAG_UV : 0) | FLAG_AT, counter, attested);
    const attestationObject = isoCBOR.encode(
      new Map<string, string | Uint8Array | Map<string, string>>([['fmt', 'none'], ['attStmt', new Map<string, string>()], ['authData', authData]]),
    );
    const id = b64url(credentialId);
    this.passkeys.set(id, { id, rpId, userHandle: options.user.id, privateKey, counter });
    const transports = this.options.transports ?? ['internal', 'hybrid'];
    return {
      id,
      rawId: id,
      type: 'public-key',
      response: {
        clientDataJSON: b64url(this.clientData('webauthn.create', overrides.challenge ?? options.challenge, overrides.origin ?? this.options.origin)),
        attestationObject: b64url(attestationObject),
        transports,
        publicKeyAlgorithm: -7,
      },
      clientExtensionResults: {},
      authenticatorAttachment: this.options.attachment ?? 'platform',
    };
  }

  /** navigator.credentials.get(): an AuthenticationResponseJSON (CREDENTIAL is its JSON text). */
  get(options: RequestOptions, overrides: CeremonyOverrides = {}): Json {
    const allowed = (options.allowCredentials ?? []).map((c) => c.id);
    const id = overrides.credentialId ?? [...this.passkeys.keys()].find((key) => allowed.length === 0 || allowed.includes(key));
    const passkey = id === undefined ? undefined : this.passkeys.get(id);
    if (!passkey) throw new Error('NotAllowedError: no passkey of this authenticator is allowed by the request');
    const step = this.options.counterStep ?? 1;
    passkey.counter += step;
    const counter = overrides.counter ?? passkey.counter;
    const verified = overrides.userVerified ?? this.options.userVerified ?? true;
    const authData = this.authenticatorData(overrides.rpId ?? passkey.rpId, FLAG_UP | (verified ? FLAG_UV : 0), counter);
    const clientData = this.clientData('webauthn.get', overrides.challenge ?? options.challenge, overrides.origin ?? this.options.origin);
    const signature = sign('sha256', Buffer.concat([authData, sha256(clientData)]), passkey.privateKey);
    return {
      id: passkey.id,
      rawId: passkey.id,
      type: 'public-key',
      response: {
        clientDataJSON: b64url(clientData),
        authenticatorData: b64url(authData),
        signature: b64url(signature),
        userHandle: passkey.userHandle,
      },
      clientExtensionResults: {},
      authenticatorAttachment: this.options.attachment ?? 'platform',
    };
  }
}

// Cognito's SRP-6a client (3072-bit group, SHA-256, Java-style padding, HKDF "Caldera Derived Key").
// The routines keep the method names of tssrp6a's SRPRoutines, which they once overrode one by one (Cognito's
// variant differs in each); they stand alone on the math shared with the local pool's server side (./srp-math.ts),
// so browser bundles do not carry that library. Everything srp-math exports is re-exported here.
import { N, base64Encode, bigIntEngine, bytesToBigInt, cognitoHkdf, hexToBytes, padHex, cognitoTimestamp, hexToBigInt, passwordClaimSignature, poolNameOf, sha256, srpIdentityBytes, srpK, srpU, srpX, type ModPowEngine } from './srp-math.js';

export * from './srp-math.js';

/** Secret client state between InitiateAuth (SRP_A) and PASSWORD_VERIFIER. Never leaves the runtime. */
export interface SrpEphemeral {
  readonly a: bigint;
  readonly A: bigint;
}

export interface PasswordVerifierChallenge {
  /** USER_ID_FOR_SRP: the canonical user name Cognito hashes. */
  readonly userIdForSrp: string;
  readonly srpB: string;
  readonly salt: string;
  readonly secretBlock: string;
}

export interface PasswordClaim {
  readonly signature: string;
  readonly timestamp: string;
}

/** What a client keeps of a confirmed device (in the token storage, never in the chart's context). */
export interface DeviceSecret {
  readonly deviceKey: string;
  readonly deviceGroupKey: string;
  /** The device's random "password": base64 of 40 random bytes, as Cognito's own clients make it. */
  readonly devicePassword: string;
}

/** DEVICE_PASSWORD_VERIFIER's parameters (the device challenge has no USER_ID_FOR_SRP). */
export interface DeviceVerifierChallenge {
  readonly srpB: string;
  readonly salt: string;
  readonly secretBlock: string;
}

function randomBytes(length: number): Uint8Array {
  const bytes = new Uint8Array(length);
  globalThis.crypto.getRandomValues(bytes);
  return bytes;
}

// ---------- the SRP routines, Cognito flavour ----------

export class CognitoSrpRoutines {
  constructor(readonly engine: ModPowEngine = bigIntEngine) {}

  /** k = H(padHex(N) | padHex(g)) (srpK). */
  computeK(): Promise<bigint> {
    return srpK();
  }

  /** u = H(padHex(A) | padHex(B)) (srpU). */
  computeU(A: bigint, B: bigint): Promise<bigint> {
    return srpU(A, B);
  }

  /** H(poolName | userIdForSrp | ":" | password); I carries poolName + userIdForSrp. */
  async computeIdentityHash(I: string, P: string): Promise<ArrayBuffer> {
    return (await sha256(srpIdentityBytes(I, P))).buffer as ArrayBuffer;
  }

  /** x = H(padHex(s) | identityHash) (srpX). */
  computeX(I: string, s: bigint, P: string): Promise<bigint> {
    return srpX(I, s, P);
  }

  computeVerifier(x: bigint): bigint {
    return this.engine.powG(x);
  }

  /** 128 random bytes, as Cognito's own clients use; a full 3072-bit value only costs time. */
  generatePrivateValue(): bigint {
    const bytes = new Uint8Array(128);
    globalThis.crypto.getRandomValues(bytes);
    const a = bytesToBigInt(bytes) % N;
    return a === 0n ? this.generatePrivateValue() : a;
  }

  computeClientPublicValue(a: bigint): bigint {
    return this.engine.powG(a);
  }

  /** S = (B - k * g^x) ^ (a + u * x) mod N */
  computeClientSessionKey(k: bigint, x: bigint, u: bigint, a: bigint, B: bigint): bigint {
    const gx = this.engine.powG(x);
    const base = (((B - ((k * gx) % N)) % N) + N) % N;
    return this.engine.modPow(base, a + u * x);
  }
}

/**
 * Client side of Cognito SRP for one user pool. Ephemerals can be prepared ahead of time
 * (`prepare()`), so g^a is not on the critical path when the user submits.
 */
export class CognitoSrpClient {
  readonly routines: CognitoSrpRoutines;
  readonly poolName: string;
  private prepared: Promise<SrpEphemeral> | undefined;

  constructor(userPoolId: string, engine: ModPowEngine = bigIntEngine) {
    this.poolName = poolNameOf(userPoolId);
    this.routines = new CognitoSrpRoutines(engine);
  }

  createEphemeral(a: bigint = this.routines.generatePrivateValue()): SrpEphemeral {
    const A = this.routines.computeClientPublicValue(a);
    if (A % N === 0n) throw new RangeError('SRP: A must not be 0 mod N');
    return { a, A };
  }

  /** Starts computing the next ephemeral off the critical path (next macrotask). */
  prepare(): void {
    this.prepared ??= new Promise((resolve, reject) =>
      setTimeout(() => {
        try {
          resolve(this.createEphemeral());
        } catch (error) {
          reject(error);
        }
      }, 0),
    );
  }

  /**
   * Takes the prepared ephemeral (or computes one). The next is not prepared here: the caller prepares it when a
   * sign-in may come (createAuth: at signedOut and at a code step that can resend), so no private value waits in
   * memory while the user is signed in, and no g^a runs while Cognito's answer to this one may be arriving.
   */
  async takeEphemeral(): Promise<SrpEphemeral> {
    const ready = this.prepared ?? Promise.resolve(this.createEphemeral());
    this.prepared = undefined;
    return ready;
  }

  /**
   * A new device's secret and ConfirmDevice's verifier for it. Device SRP is user SRP with the device group key in
   * the pool name's place, the device key in the user name's and a random secret as the password.
   */
  async newDevice(device: { readonly deviceKey: string; readonly deviceGroupKey: string }): Promise<{ secret: DeviceSecret; verifier: { passwordVerifier: string; salt: string } }> {
    const devicePassword = base64Encode(randomBytes(40));
    const saltHex = padHex(bytesToBigInt(randomBytes(16)));
    const x = await this.routines.computeX(device.deviceGroupKey + device.deviceKey, hexToBigInt(saltHex), devicePassword);
    const v = this.routines.computeVerifier(x);
    return {
      secret: { deviceKey: device.deviceKey, deviceGroupKey: device.deviceGroupKey, devicePassword },
      verifier: { passwordVerifier: base64Encode(hexToBytes(padHex(v))), salt: base64Encode(hexToBytes(saltHex)) },
    };
  }

  /** DEVICE_PASSWORD_VERIFIER's claim: the device proves its secret over DEVICE_SRP_AUTH's SRP_A. */
  async deviceClaim(ephemeral: SrpEphemeral, challenge: DeviceVerifierChallenge, secret: DeviceSecret, now: Date = new Date()): Promise<PasswordClaim> {
    const B = hexToBigInt(challenge.srpB);
    if (B % N === 0n) throw new RangeError('SRP: B must not be 0 mod N');
    const u = await this.routines.computeU(ephemeral.A, B);
    if (u === 0n) throw new RangeError('SRP: u must not be 0');
    const x = await this.routines.computeX(secret.deviceGroupKey + secret.deviceKey, hexToBigInt(challenge.salt), secret.devicePassword);
    const S = this.routines.computeClientSessionKey(await this.routines.computeK(), x, u, ephemeral.a, B);
    const key = await cognitoHkdf(S, u);
    const timestamp = cognitoTimestamp(now);
    return { signature: await passwordClaimSignature(key, secret.deviceGroupKey, secret.deviceKey, challenge.secretBlock, timestamp), timestamp };
  }

  async passwordClaim(
    ephemeral: SrpEphemeral,
    challenge: PasswordVerifierChallenge,
    password: string,
    now: Date = new Date(),
  ): Promise<PasswordClaim> {
    const B = hexToBigInt(challenge.srpB);
    if (B % N === 0n) throw new RangeError('SRP: B must not be 0 mod N');
    const u = await this.routines.computeU(ephemeral.A, B);
    if (u === 0n) throw new RangeError('SRP: u must not be 0');
    const salt = hexToBigInt(challenge.salt);
    const x = await this.routines.computeX(this.poolName + challenge.userIdForSrp, salt, password);
    const k = await this.routines.computeK();
    const S = this.routines.computeClientSessionKey(k, x, u, ephemeral.a, B);
    const key = await cognitoHkdf(S, u);
    const timestamp = cognitoTimestamp(now);
    const signature = await passwordClaimSignature(
      key,
      this.poolName,
      challenge.userIdForSrp,
      challenge.secretBlock,
      timestamp,
    );
    return { signature, timestamp };
  }
}

// Choice-based sign-in settings: the pool's SignInPolicy (AllowedFirstAuthFactors), its feature plan
// (UserPoolTier) and its passkey settings (WebAuthnConfiguration), with the rules Cognito applies
// between them and MFA.
import { Errors } from '../api/errors.js';
import {
  FIRST_AUTH_FACTORS,
  type FirstAuthFactor,
  type PoolConfig,
  type UserPoolTier,
  type WebAuthnConfig,
} from '../store/model.js';
import { Validator, type JsonObject } from '../api/validation.js';
import { customisesAccessTokens } from '../triggers/lambda-config.js';

export const TIERS: readonly UserPoolTier[] = ['LITE', 'ESSENTIALS', 'PLUS'];
/** The API's default plan for new pools (the service model: "Defaults to ESSENTIALS"). */
export const DEFAULT_TIER: UserPoolTier = 'ESSENTIALS';

// ---------- SignInPolicy ----------

/** Policies.SignInPolicy from CreateUserPool / UpdateUserPool; PASSWORD only when left out. */
export function readSignInPolicy(input: JsonObject | undefined): { AllowedFirstAuthFactors: FirstAuthFactor[] } {
  if (input === undefined) return { AllowedFirstAuthFactors: ['PASSWORD'] };
  const v = new Validator(input);
  const factors = v.optionalStringList('AllowedFirstAuthFactors', { oneOf: [...FIRST_AUTH_FACTORS, 'SOFTWARE_TOKEN'] }) ?? ['PASSWORD'];
  v.done();
  if (factors.includes('SOFTWARE_TOKEN')) throw Errors.invalidParameter('SOFTWARE_TOKEN is not supported as a first auth factor.');
  if (factors.length < 1 || factors.length > 4) throw Errors.invalidParameter('AllowedFirstAuthFactors must have 1 to 4 entries.');
  if (!factors.includes('PASSWORD')) throw Errors.invalidParameter('AllowedFirstAuthFactors must include PASSWORD.');
  return { AllowedFirstAuthFactors: FIRST_AUTH_FACTORS.filter((factor) => factors.includes(factor)) };
}

/** The factors USER_AUTH may start with, in the order PASSWORD, EMAIL_OTP, SMS_OTP, WEB_AUTHN. */
export const allowedFirstFactors = (config: PoolConfig): readonly FirstAuthFactor[] =>
  config.Policies.SignInPolicy?.AllowedFirstAuthFactors ?? ['PASSWORD'];

export const allowsFirstFactor = (config: PoolConfig, factor: FirstAuthFactor): boolean => allowedFirstFactors(config).includes(factor);

export const poolTier = (config: PoolConfig): UserPoolTier => config.UserPoolTier ?? DEFAULT_TIER;

// ---------- WebAuthnConfiguration ----------

// A host name (labels of letters, digits and hyphens), which is what a relying party ID is.
const HOST_NAME = /^(?=.{1,127}$)([a-z0-9]([a-z0-9-]*[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/;

/** SetUserPoolMfaConfig's WebAuthnConfiguration: replaces the stored one as a whole. */
export function readWebAuthnConfiguration(input: JsonObject): WebAuthnConfig {
  const v = new Validator(input);
  const relyingPartyId = v.optionalString('RelyingPartyId', { min: 1, max: 127 });
  const userVerification = v.optionalString('UserVerification', { oneOf: ['required', 'preferred'] }) ?? 'preferred';
  const factor = v.optionalString('FactorConfiguration', { oneOf: ['SINGLE_FACTOR', 'MULTI_FACTOR_WITH_USER_VERIFICATION'] }) ?? 'SINGLE_FACTOR';
  v.done();
  if (relyingPartyId !== undefined && !HOST_NAME.test(relyingPartyId)) {
    throw Errors.invalidParameter('RelyingPartyId must be a domain name (for example example.com, or localhost).');
  }
  return {
    ...(relyingPartyId !== undefined ? { RelyingPartyId: relyingPartyId } : {}),
    UserVerification: userVerification as WebAuthnConfig['UserVerification'],
    FactorConfiguration: factor as WebAuthnConfig['FactorConfiguration'],
  };
}

export const webAuthnConfiguration = (config: PoolConfig): WebAuthnConfig =>
  config.WebAuthnConfiguration ?? { UserVerification: 'preferred', FactorConfiguration: 'SINGLE_FACTOR' };

// ---------- rules between the settings ----------

/**
 * Refuses settings Cognito refuses together: on LITE, first factors other than PASSWORD, e-mail MFA
 * and passkey MFA (FeatureUnavailableInTierException); with MFA ON or OPTIONAL, one-time-password
 * first factors; with MFA ON, passkeys as a first factor unless they count as MFA (both observed
 * from Cognito, with these messages). Called on the settings as they would be after a change.
 */
export function checkPoolFeatures(config: PoolConfig): void {
  const factors = allowedFirstFactors(config);
  const webAuthn = webAuthnConfiguration(config);
  if (poolTier(config) === 'LITE') {
    const premium = factors.find((factor) => factor !== 'PASSWORD');
    if (premium) throw Errors.featureUnavailableInTier(`Choice-based sign-in with ${premium}`);
    if (config.EmailMfaConfiguration) throw Errors.featureUnavailableInTier('E-mail MFA (EmailMfaConfiguration)');
    if (webAuthn.FactorConfiguration === 'MULTI_FACTOR_WITH_USER_VERIFICATION') throw Errors.featureUnavailableInTier('Passkey MFA');
    if (customisesAccessTokens(config)) throw Errors.featureUnavailableInTier('Access token customization (PreTokenGenerationConfig V2_0 / V3_0)');
  }
  if (config.MfaConfiguration !== 'OFF' && (factors.includes('EMAIL_OTP') || factors.includes('SMS_OTP'))) {
    throw Errors.invalidParameter('Only PASSWORD and WEB_AUTHN (if configured) can be enabled as an auth factor if MFA is enabled');
  }
  if (config.MfaConfiguration === 'ON' && factors.includes('WEB_AUTHN') && webAuthn.FactorConfiguration !== 'MULTI_FACTOR_WITH_USER_VERIFICATION') {
    throw Errors.invalidParameter('Cannot set WebAuthn factor configuration to SINGLE_FACTOR if MFA is required and WebAuthn is an allowed first auth factor');
  }
}

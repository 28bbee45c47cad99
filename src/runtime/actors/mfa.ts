// MFA actors: TOTP association and verification (during sign-in with the Session, afterwards with the access
// token) and the signed-in user's MFA preference (read with GetUser, see account.ts).
import type {
  AssociateSoftwareTokenInput,
  AssociateSoftwareTokenOutput,
  MfaPreferenceUpdate,
  VerifySoftwareTokenInput,
  VerifySoftwareTokenOutput,
} from '../../../machines/auth.types.js';
import { AuthError, toAuthError } from '../../cognito/errors.js';
import type { MfaSetting, SoftwareTokenAuth } from '../../cognito/port.js';
import { totpSetupFor } from '../../session/totp.js';
import { actor, type ActorDeps, type SharedHelpers } from './shared.js';

export function mfaActors(deps: ActorDeps, shared: SharedHelpers) {
  const { port, now } = deps;
  const withSession = <T>(run: Promise<T>) => run.catch((e: unknown) => Promise.reject(toAuthError(e)));

  return {
    associateSoftwareToken: actor<AssociateSoftwareTokenOutput, AssociateSoftwareTokenInput>(async ({ input, signal }) => {
      const associate = async (auth: SoftwareTokenAuth) => {
        const output = await port.associateSoftwareToken(auth, signal);
        return {
          ...(output.session ? { session: output.session, sessionIssuedAt: now() } : {}),
          totpSetup: await totpSetupFor(output.secretCode, { issuer: deps.totpIssuer, accountName: deps.totpAccountName?.(input.accountName) ?? input.accountName }),
        };
      };
      if ('session' in input) return withSession(associate({ session: input.session }));
      return shared.asSignedInUser(signal, (accessToken) => associate({ accessToken }));
    }),

    verifySoftwareToken: actor<VerifySoftwareTokenOutput, VerifySoftwareTokenInput>(async ({ input, signal }) => {
      const verify = async (auth: SoftwareTokenAuth) => {
        const output = await port.verifySoftwareToken(
          { ...auth, userCode: input.code, ...(deps.totpDeviceName ? { friendlyDeviceName: deps.totpDeviceName } : {}) },
          signal,
        );
        if (output.status !== 'SUCCESS') throw new AuthError('CodeMismatch', 'VerifySoftwareToken answered ERROR');
        return output.session ? { session: output.session, sessionIssuedAt: now() } : {};
      };
      if (input.session !== undefined) return withSession(verify({ session: input.session }));
      return shared.asSignedInUser(signal, (accessToken) => verify({ accessToken }));
    }),

    setUserMfaPreference: actor<MfaPreferenceUpdate, MfaPreferenceUpdate>(({ input, signal }) =>
      shared.asSignedInUser(signal, async (accessToken) => {
        const setting = (value: MfaPreferenceUpdate[keyof MfaPreferenceUpdate]): MfaSetting | undefined =>
          value === undefined ? undefined : { enabled: value !== 'DISABLED', preferred: value === 'PREFERRED' };
        const sms = setting(input.sms);
        const totp = setting(input.totp);
        const email = setting(input.email);
        await port.setUserMfaPreference({ accessToken, ...(sms ? { sms } : {}), ...(totp ? { totp } : {}), ...(email ? { email } : {}) }, signal);
        return input; // the chart applies it to what it knows, without another call
      }),
    ),
  };
}

// Account actors: sign-up and its confirmation, password reset, and the signed-in user's own account
// (profile, attributes and their verification, password change, deletion).
import type {
  AttributeCodeDelivery,
  ChangePasswordInput,
  CodeSentOutput,
  ConfirmForgotPasswordInput,
  ConfirmSignUpInput,
  SignUpInput,
  SignUpOutput,
  UpdateAttributesOutput,
  UserProfile,
} from '../../../machines/auth.types.js';
import { toAuthError } from '../../cognito/errors.js';
import type { CodeDeliveryDetails } from '../../cognito/port.js';
import { mfaTypeFromCognito, type CodeDelivery, type MfaType } from '../../cognito/steps.js';
import { actor, type ActorDeps, type SharedHelpers } from './shared.js';

const delivery = (details: CodeDeliveryDetails | undefined): CodeDelivery | null =>
  details
    ? { deliveryMedium: details.deliveryMedium, destination: details.destination, ...(details.attributeName ? { attributeName: details.attributeName } : {}) }
    : null;
const attributeDelivery = (details: CodeDeliveryDetails | undefined, fallbackName: string): AttributeCodeDelivery | null =>
  details ? { deliveryMedium: details.deliveryMedium, destination: details.destination, attributeName: details.attributeName ?? fallbackName } : null;

/** Calls that need no signed-in user map their failures like every other call. */
const mapped = <T>(run: Promise<T>): Promise<T> => run.catch((error: unknown) => Promise.reject(toAuthError(error)));

export function accountActors(deps: ActorDeps, shared: SharedHelpers) {
  const { port, vault, tokens } = deps;
  /** The password kept for signing in without asking again (memory only, gone when the flow ends). */
  const keep = (loginId: string, password: string, authFlow: SignUpInput['authFlow']) =>
    vault.put({ loginId, authFlow, password, srp: null }, deps.authSessionValidityMs * 5);

  return {
    signUp: actor<SignUpOutput, SignUpInput>(async ({ input, signal }) => {
      const output = await mapped(port.signUp({ username: input.username, password: input.password, attributes: input.attributes, ...(input.validationData ? { validationData: input.validationData } : {}) }, signal));
      return {
        userConfirmed: output.userConfirmed,
        codeDelivery: delivery(output.codeDelivery),
        secretRef: input.autoSignIn ? keep(input.username, input.password, input.authFlow) : null,
        session: input.autoSignIn ? (output.session ?? null) : null,
        ...(output.userSub ? { userId: output.userSub } : {}),
      };
    }),

    confirmSignUp: actor<{ session: string | null }, ConfirmSignUpInput>(async ({ input, signal }) => {
      const output = await mapped(port.confirmSignUp({ username: input.username, code: input.code, ...(input.session ? { session: input.session } : {}) }, signal));
      return { session: output.session ?? null };
    }),

    resendConfirmationCode: actor<CodeSentOutput, { username: string }>(async ({ input, signal }) => ({
      codeDelivery: delivery((await mapped(port.resendConfirmationCode({ username: input.username }, signal))).codeDelivery),
    })),

    forgotPassword: actor<CodeSentOutput, { username: string }>(async ({ input, signal }) => ({
      codeDelivery: delivery((await mapped(port.forgotPassword({ username: input.username }, signal))).codeDelivery),
    })),

    confirmForgotPassword: actor<{ secretRef: string | null }, ConfirmForgotPasswordInput>(async ({ input, signal }) => {
      await mapped(port.confirmForgotPassword({ username: input.username, code: input.code, password: input.newPassword }, signal));
      return { secretRef: input.signIn ? keep(input.username, input.newPassword, input.authFlow) : null };
    }),

    getUser: actor<UserProfile>(({ signal }) =>
      shared.asSignedInUser(signal, async (accessToken) => {
        const user = await port.getUser({ accessToken }, signal);
        return {
          attributes: user.attributes,
          mfaPreference: {
            enabled: user.mfaSettings.map(mfaTypeFromCognito).filter((t): t is MfaType => t !== undefined),
            preferred: (user.preferredMfa && mfaTypeFromCognito(user.preferredMfa)) || null,
          },
        };
      }),
    ),

    updateUserAttributes: actor<UpdateAttributesOutput, { attributes: Readonly<Record<string, string>> }>(({ input, signal }) =>
      shared.asSignedInUser(signal, async (accessToken) => {
        const output = await port.updateUserAttributes({ accessToken, attributes: input.attributes }, signal);
        return {
          attributes: input.attributes,
          codeDeliveries: output.codeDeliveries.map((d) => attributeDelivery(d, '')).filter((d): d is AttributeCodeDelivery => d !== null),
        };
      }),
    ),

    getUserAttributeVerificationCode: actor<{ codeDelivery: AttributeCodeDelivery | null }, { attributeName: string }>(({ input, signal }) =>
      shared.asSignedInUser(signal, async (accessToken) => ({
        codeDelivery: attributeDelivery((await port.getUserAttributeVerificationCode({ accessToken, attributeName: input.attributeName }, signal)).codeDelivery, input.attributeName),
      })),
    ),

    verifyUserAttribute: actor<{ attributeName: string }, { attributeName: string; code: string }>(({ input, signal }) =>
      shared.asSignedInUser(signal, async (accessToken) => {
        await port.verifyUserAttribute({ accessToken, attributeName: input.attributeName, code: input.code }, signal);
        return { attributeName: input.attributeName };
      }),
    ),

    deleteUserAttributes: actor<{ attributeNames: readonly string[] }, { attributeNames: readonly string[] }>(({ input, signal }) =>
      shared.asSignedInUser(signal, async (accessToken) => {
        await port.deleteUserAttributes({ accessToken, attributeNames: input.attributeNames }, signal);
        return { attributeNames: input.attributeNames };
      }),
    ),

    changePassword: actor<void, ChangePasswordInput>(({ input, signal }) =>
      shared.asSignedInUser(signal, (accessToken) =>
        port.changePassword({ accessToken, previousPassword: input.oldPassword, proposedPassword: input.newPassword }, signal),
      ),
    ),

    deleteUser: actor<void>(({ signal }) =>
      shared.asSignedInUser(signal, async (accessToken) => {
        // Deleting again after a lost answer: "no such user" for this very token means the first one went through.
        await port.deleteUser({ accessToken }, signal).catch((error: unknown) => {
          if (toAuthError(error).code !== 'UserNotFound') throw error;
        });
        const stored = await tokens.load();
        await tokens.clear(); // the account is gone: so is its session here
        if (stored) await deps.devices?.forget(shared.usernameOf(stored)); // and its device secret
      }),
    ),
  };
}

import { AUTH_ERROR_CODES, AuthError, toAuthError } from '../../src/cognito/errors.js';
import { toErrorData } from '../../machines/auth.actions.js';

const sdkError = (name: string, message: string, status = 400) =>
  Object.assign(new Error(message), { name, $metadata: { httpStatusCode: status } });

describe('toAuthError maps Cognito exceptions to typed codes', () => {
  it.each([
    ['NotAuthorizedException', 'Incorrect username or password.', 'IncorrectUsernameOrPassword', 'credentials', false],
    ['NotAuthorizedException', 'Password attempts exceeded', 'PasswordAttemptsExceeded', 'throttle', true],
    ['NotAuthorizedException', 'Invalid session for the user, session is expired.', 'SessionExpired', 'session', false],
    ['NotAuthorizedException', 'Invalid session for the user, session can only be used once.', 'SessionExpired', 'session', false],
    ['NotAuthorizedException', 'Invalid session for the user.', 'SessionExpired', 'session', false],
    ['NotAuthorizedException', 'User is disabled.', 'UserDisabled', 'credentials', false],
    ['NotAuthorizedException', 'Refresh Token has been revoked', 'TokenRevoked', 'token', false],
    ['NotAuthorizedException', 'Access Token has been revoked', 'TokenRevoked', 'token', false],
    ['NotAuthorizedException', 'Invalid Refresh Token.', 'InvalidToken', 'token', false],
    ['NotAuthorizedException', 'Refresh Token has expired', 'TokenExpired', 'token', false],
    ['NotAuthorizedException', 'Unable to verify secret hash for client abc', 'SecretHashMismatch', 'configuration', false],
    ['NotAuthorizedException', 'Client abc is configured for secret but secret was not received', 'SecretHashMismatch', 'configuration', false],
    ['NotAuthorizedException', 'Client abc is configured with secret but SECRET_HASH was not received', 'SecretHashMismatch', 'configuration', false],
    ['NotAuthorizedException', 'Cannot modify an already provided email', 'InvalidParameter', 'configuration', false],
    ['NotAuthorizedException', 'Something new', 'NotAuthorized', 'credentials', false],
    ['UserNotFoundException', 'User does not exist.', 'UserNotFound', 'credentials', false],
    ['UserNotConfirmedException', 'User is not confirmed.', 'UserNotConfirmed', 'credentials', false],
    ['PasswordResetRequiredException', 'Password reset required for the user', 'PasswordResetRequired', 'credentials', false],
    ['InvalidPasswordException', 'Password did not conform with policy: Password not long enough', 'InvalidPassword', 'challenge', false],
    ['PasswordHistoryPolicyViolationException', 'x', 'PasswordHistoryPolicyViolation', 'challenge', false],
    ['CodeMismatchException', 'Invalid code or auth state for the user.', 'CodeMismatch', 'challenge', false],
    ['ExpiredCodeException', 'Invalid code provided, please request a code again.', 'ExpiredCode', 'challenge', false],
    ['InvalidParameterException', 'USER_PASSWORD_AUTH flow not enabled for this client', 'AuthFlowNotEnabled', 'configuration', false],
    ['InvalidParameterException', 'Invalid attributes given, name is missing', 'MissingAttributes', 'challenge', false],
    ['InvalidParameterException', 'Attributes did not conform to the schema: name: The attribute is required', 'MissingAttributes', 'challenge', false],
    ['InvalidParameterException', 'Attributes did not conform to the schema: Type for attribute {custom:x} could not be determined', 'InvalidParameter', 'configuration', false],
    ['InvalidParameterException', '1 validation error detected', 'InvalidParameter', 'configuration', false],
    ['TooManyRequestsException', 'Rate exceeded', 'TooManyRequests', 'throttle', true],
    ['LimitExceededException', 'Attempt limit exceeded, please try after some time.', 'LimitExceeded', 'throttle', true],
    ['TooManyFailedAttemptsException', 'x', 'TooManyFailedAttempts', 'throttle', true],
    ['ResourceNotFoundException', 'User pool client abc does not exist.', 'ResourceNotFound', 'configuration', false],
    ['UnsupportedOperationException', 'x', 'UnsupportedOperation', 'configuration', false],
    ['Unsupported', 'Cognito Local unsupported feature', 'UnsupportedOperation', 'configuration', false],
    ['InternalErrorException', 'boom', 'ServiceUnavailable', 'network', true],
    ['RefreshTokenReuseException', 'Refresh token has been reused', 'RefreshTokenReused', 'token', false],
    ['EnableSoftwareTokenMFAException', 'Code mismatch and fail enable Software Token MFA', 'CodeMismatch', 'challenge', false],
    ['SoftwareTokenMFANotFoundException', 'Software Token MFA does not exist for the user.', 'MfaMethodNotFound', 'configuration', false],
    ['SomeFutureException', 'new thing', 'Unknown', 'protocol', false],
  ] as const)('%s "%s" -> %s', (name, message, code, category, retryable) => {
    const error = toAuthError(sdkError(name, message));
    expect(error).toBeInstanceOf(AuthError);
    expect(error.code).toBe(code);
    expect(error.category).toBe(category);
    expect(error.retryable).toBe(retryable);
    expect(error.category).toBe(AUTH_ERROR_CODES[code]);
  });

  it('a refused attribute is about the attributes field; a missing one stays MissingAttributes', () => {
    expect(toAuthError(sdkError('InvalidParameterException', 'Attributes did not conform to the schema: email: Attribute cannot be updated. (changing an immutable attribute)'))).toMatchObject({ code: 'InvalidParameter', field: 'attributes' });
    expect(toAuthError(sdkError('InvalidParameterException', 'Attributes did not conform to the schema: name: The attribute is required'))).toMatchObject({ code: 'MissingAttributes', field: 'attributes' });
    // NEW_PASSWORD_REQUIRED given an attribute the user has: Cognito says NotAuthorized, but it is about the attributes sent
    expect(toAuthError(sdkError('NotAuthorizedException', 'Cannot modify an already provided email'))).toMatchObject({ code: 'InvalidParameter', field: 'attributes' });
    expect(toAuthError(sdkError('InvalidParameterException', '1 validation error detected')).field).toBeUndefined();
  });

  it.each([
    'User does not have delivery config set to turn on SOFTWARE_TOKEN_MFA',
    'User has not verified software token mfa',
    'User has not set up software token mfa',
    'User does not have a phone_number set to turn on SMS MFA',
    'User does not have an email set to turn on email MFA',
  ])('SetUserMFAPreference turning on a factor the user has not set up ("%s") is MfaMethodNotFound on the preference', (message) => {
    expect(toAuthError(sdkError('InvalidParameterException', message))).toMatchObject({ code: 'MfaMethodNotFound', category: 'configuration', field: 'preference' });
  });

  it('a factor the pool does not offer stays InvalidParameter', () => {
    expect(toAuthError(sdkError('InvalidParameterException', 'SMS MFA is not enabled for this user pool.'))).toMatchObject({ code: 'InvalidParameter' });
  });

  it('keeps the Cognito name and the original error as cause', () => {
    const original = sdkError('CodeMismatchException', 'Invalid code or auth state for the user.');
    const error = toAuthError(original);
    expect(error.cognitoName).toBe('CodeMismatchException');
    expect(error.cause).toBe(original);
  });

  it.each([
    [new TypeError('fetch failed'), 'Network'],
    [new TypeError('Failed to fetch'), 'Network'], // Chromium offline
    [new TypeError('Load failed'), 'Network'], // Safari
    [new TypeError('NetworkError when attempting to fetch resource.'), 'Network'], // Firefox
    [Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' }), 'Network'],
    [Object.assign(new Error('aborted'), { name: 'AbortError' }), 'Aborted'],
    // the SDK's Node handler names a connection the server dropped TimeoutError: a network failure, not a cancel
    [Object.assign(new Error('socket hang up'), { name: 'TimeoutError', code: 'ECONNRESET' }), 'Network'],
    [Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }), 'Network'],
    [Object.assign(new Error('Bad Gateway'), { name: 'Error', $metadata: { httpStatusCode: 502 } }), 'ServiceUnavailable'],
    ['a string', 'Unknown'],
    [undefined, 'Unknown'],
  ])('non-Cognito failure %p -> %s', (thrown, code) => {
    expect(toAuthError(thrown).code).toBe(code);
  });

  it('returns AuthErrors unchanged', () => {
    const error = new AuthError('InvalidInput', 'nope');
    expect(toAuthError(error)).toBe(error);
  });

  it('serializes to plain data for machine context, without the cause', () => {
    const data = toAuthError(sdkError('UserNotFoundException', 'User does not exist.')).toJSON();
    expect(data).toEqual({
      code: 'UserNotFound',
      category: 'credentials',
      retryable: false,
      field: 'username',
      cognitoName: 'UserNotFoundException',
      cognitoMessage: 'User does not exist.',
    });
    expect(JSON.parse(JSON.stringify(data))).toEqual(data);
    // our own sentences never reach context: a plain Error becomes a code
    expect(toErrorData(new Error('plain'))).toEqual({ code: 'Unknown', category: 'protocol', retryable: false });
    expect(toErrorData(data)).toEqual(data);
  });
});

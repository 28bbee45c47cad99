// authchart/amplify's errors: the chart's own refusals get the name Amplify users would see from Cognito, never "Unknown".
import { toAmplifyError } from '../../src/amplify/errors.js';
import { AuthError } from '../../src/cognito/errors.js';

it('input the chart refuses before any call is InvalidParameterException, with the chart code kept', () => {
  const error = toAmplifyError(new AuthError('InvalidInput', 'refused', { field: 'attributes' }).toJSON());
  expect({ name: error.name, code: error.code }).toEqual({ name: 'InvalidParameterException', code: 'InvalidInput' });
  expect(error.message).not.toBe('An unknown error has occurred.');
});

it("an error from Cognito keeps Cognito's name and message", () => {
  const error = toAmplifyError({ code: 'CodeMismatch', category: 'challenge', retryable: false, cognitoName: 'CodeMismatchException', cognitoMessage: 'Invalid code provided, please request a code again.' });
  expect({ name: error.name, message: error.message, code: error.code }).toEqual({
    name: 'CodeMismatchException',
    message: 'Invalid code provided, please request a code again.',
    code: 'CodeMismatch',
  });
});

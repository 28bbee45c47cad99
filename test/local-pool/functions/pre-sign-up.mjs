// PreSignUp as the tests steer it through ValidationData: refuse, confirm, verify email / phone.
import { record } from './_record.mjs';

export const handler = async (event, context) => {
  record(event, context);
  const wanted = event.request.validationData ?? {};
  if (wanted.refuse) throw new Error('Sign-up refused by PreSignUp');
  if (wanted.confirm) event.response.autoConfirmUser = true;
  if (wanted.verify === 'email') event.response.autoVerifyEmail = true;
  if (wanted.verify === 'phone') event.response.autoVerifyPhone = true;
  return event;
};

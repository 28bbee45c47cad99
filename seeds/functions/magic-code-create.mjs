// CreateAuthChallenge of the e-mailed sign-in code. The first round makes a 6-digit code and mails
// it; later rounds (after a wrong code) keep it, carried in challengeMetadata, which stays on the
// server. On the local pool the mail goes to its outbox through authchartLocalPool.sendMessage
// (the pool's one helper for functions); deployed, the same function sends it with Amazon SES.
import { randomInt } from 'node:crypto';

const mask = (address) => address.replace(/^(.)[^@]*@(.).*$/, '$1***@$2***');

async function sendCode(to, code) {
  const subject = 'Your sign-in code';
  const message = `Your sign-in code is ${code}. It works once, for the next few minutes.`;
  if (globalThis.authchartLocalPool) {
    globalThis.authchartLocalPool.sendMessage({ to, subject, message, code });
    return;
  }
  // In Lambda (the AWS SDK v3 is part of the Node.js runtimes); FROM_ADDRESS is a verified SES identity.
  const { SESv2Client, SendEmailCommand } = await import('@aws-sdk/client-sesv2');
  await new SESv2Client({}).send(
    new SendEmailCommand({
      FromEmailAddress: process.env.FROM_ADDRESS,
      Destination: { ToAddresses: [to] },
      Content: { Simple: { Subject: { Data: subject }, Body: { Text: { Data: message } } } },
    }),
  );
}

export const handler = async (event) => {
  const email = event.request.userAttributes.email ?? '';
  const previous = event.request.session.map((round) => round.challengeMetadata).find((m) => m?.startsWith('CODE-'));
  let code = previous?.slice('CODE-'.length);
  if (!code) {
    code = String(randomInt(0, 1_000_000)).padStart(6, '0');
    // Nothing is sent for a name that is no user, but the challenge looks the same.
    if (!event.request.userNotFound && email) await sendCode(email, code);
  }
  event.response.publicChallengeParameters = { deliveryMedium: 'EMAIL', destination: email ? mask(email) : 'u***@e***' };
  event.response.privateChallengeParameters = { code: event.request.userNotFound ? '' : code };
  event.response.challengeMetadata = `CODE-${code}`;
  return event;
};

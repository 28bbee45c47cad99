// Threat protection's context data in a browser, as Amplify collects it: its own module, so an app that imports it
// from 'authchart' does not pull the port's call-context code (call-context.ts) into its first load.
import type { UserContextDataProvider } from './call-context.js';

/**
 * The browser's context data as Amplify collects it: Cognito's advanced-security script, when the page loaded it
 * (window.AmazonCognitoAdvancedSecurityData), fingerprints the device for this user; elsewhere nothing.
 */
export const advancedSecurityContextData: UserContextDataProvider = (call) => {
  const collector = (globalThis as { AmazonCognitoAdvancedSecurityData?: { getData(username: string, userPoolId: string, clientId: string): unknown } })
    .AmazonCognitoAdvancedSecurityData;
  if (!collector || typeof collector.getData !== 'function') return undefined;
  const encoded = collector.getData(call.username ?? '', call.userPoolId, call.clientId);
  return typeof encoded === 'string' && encoded !== '' ? { EncodedData: encoded } : undefined;
};

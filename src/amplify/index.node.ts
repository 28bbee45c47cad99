// authchart/amplify in Node: the same API, SRP's modular exponentiation by OpenSSL (as the package's Node entry).
import { createAuth } from '../index.node.js';
import { useAuthFactory } from './configure.js';

useAuthFactory(createAuth);

export * from './index.js';

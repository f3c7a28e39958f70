/**
 * Prints a fresh VAPID key pair for Web Push as JSON: `{ "publicKey": "...", "privateKey": "..." }`.
 * local/up makes one per state dir, so push subscriptions a browser made stay valid across restarts;
 * clusters get theirs from a Secret instead.
 */
import { generateVapidKeys } from '../vapid-keys.js';

process.stdout.write(`${JSON.stringify(generateVapidKeys())}\n`);

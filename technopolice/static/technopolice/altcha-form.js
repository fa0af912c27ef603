// The ALTCHA proof-of-work widget, served by us and allowed by our CSP: the "external" build
// injects no inline style (its stylesheet is linked by the page) and its workers are our own
// static files. Forms work without this script: the proposal is then flagged for moderators.
import "../vendor/altcha/external/altcha.js";
import "../vendor/altcha/fr-fr.js";

const worker = (name) => () => new Worker(new URL(`../vendor/altcha/workers/${name}.js`, import.meta.url));
for (const algorithm of ["PBKDF2/SHA-256", "PBKDF2/SHA-384", "PBKDF2/SHA-512"]) {
  globalThis.$altcha.algorithms.set(algorithm, worker("pbkdf2"));
}
for (const algorithm of ["SHA-256", "SHA-384", "SHA-512"]) {
  globalThis.$altcha.algorithms.set(algorithm, worker("sha"));
}

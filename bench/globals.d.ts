// What the benchmark's pages put on `window` (bench.js, and run.mjs's init scripts), and the
// baselines' globals (jsencrypt, node-forge from their browser builds), for the type check.
interface Window {
  benchResult?: { error?: string } & Record<string, unknown>;
  __longest: number;
  JSEncrypt: new () => { setPrivateKey(pem: string): void; decrypt(ciphertext: string): string | false };
  forge: any;
}

// Credentials never reach a console line or an artifact: URL user:password parts, the values of
// secret-looking environment variables, and Authorization headers are masked at every output
// (the reporters' input, every text file of evidence, the reports).

/** Names of environment variables whose values are secrets. */
export const SECRET_NAME = /KEY|TOKEN|SECRET|PASSWORD|PASSWD|AUTH|CREDENTIAL|COOKIE/i;
const MASK = '***';
// `scheme://user:password@host` and `scheme://token@host`.
const URL_CREDENTIALS = /\b([a-z][\w+.-]*:\/\/)[^\s/@'"]+@/gi;
const AUTH_HEADER = /\b(authorization|x-api-key|api-key)(["']?\s*[:=]\s*["']?)(?:bearer\s+|basic\s+)?[^\s"',}]+/gi;

/** Secret values worth masking: URL credentials of the endpoint, secret-looking variables (6+ chars). */
export function secretValues(endpoint: string | undefined, env: NodeJS.ProcessEnv): string[] {
  const values = new Set<string>();
  const creds = endpoint ? /^[a-z][\w+.-]*:\/\/([^/@]+)@/i.exec(endpoint)?.[1] : undefined;
  for (const part of creds ? [creds, ...creds.split(':')] : []) {
    if (part.length < 3) continue;
    values.add(decodeURIComponent(part));
    values.add(part);
  }
  for (const [name, value] of Object.entries(env)) if (value && value.length >= 6 && SECRET_NAME.test(name)) values.add(value);
  // Longest first, so a value is never left half-masked by a shorter one inside it.
  return [...values].sort((a, b) => b.length - a.length);
}

export type Redact = (text: string) => string;

/** A function masking every secret in a text. */
export function redactor(secrets: readonly string[]): Redact {
  return (text) => {
    let out = text.replace(URL_CREDENTIALS, `$1${MASK}@`).replace(AUTH_HEADER, `$1$2${MASK}`);
    for (const secret of secrets) out = out.split(secret).join(MASK);
    return out;
  };
}

/** The same value with every string inside it masked (results, before a reporter sees them). */
export function redactDeep<T>(value: T, redact: Redact): T {
  if (typeof value === 'string') return redact(value) as T;
  if (Array.isArray(value)) return value.map((v: unknown) => redactDeep(v, redact)) as T;
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redactDeep(v, redact)])) as T;
  return value;
}

// A URL's `user:password@` part as a Basic Authorization header, the way curl sends it: fetch and
// Pi's client refuse a URL that carries credentials, so they travel in the header instead.

/** The URL without its credentials, and the Authorization header they make (undefined when none). */
export function splitCredentials(url: string | URL): { url: URL; authorization?: string } {
  const bare = new URL(url);
  if (!bare.username && !bare.password) return { url: bare };
  const authorization = `Basic ${Buffer.from(`${decodeURIComponent(bare.username)}:${decodeURIComponent(bare.password)}`).toString('base64')}`;
  bare.username = '';
  bare.password = '';
  return { url: bare, authorization };
}

import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { execa } from 'execa';

// A tiny npm registry on loopback for the install specs: packuments and tarballs of packages the
// spec describes (real tarballs, made with tar), and a log of every request, so a spec can say
// which exact versions npm fetched and that a re-run fetched nothing.

export interface FakePackage {
  name: string;
  version: string;
  files: Record<string, string>;
  dependencies?: Record<string, string>;
  bin?: Record<string, string>;
  /** Files made executable in the tarball. */
  executable?: string[];
}

export interface FakeRegistry {
  url: string;
  requests: string[];
  close: () => Promise<void>;
}

export async function startFakeRegistry(dir: string, packages: readonly FakePackage[]): Promise<FakeRegistry> {
  const tarballs = new Map<string, Buffer>();
  const docs = new Map<string, { versions: Record<string, unknown>; latest: string }>();
  const requests: string[] = [];
  const server: Server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    requests.push(path);
    const tarball = tarballs.get(path);
    if (tarball) return void res.writeHead(200, { 'content-type': 'application/octet-stream' }).end(tarball);
    const doc = docs.get(path.slice(1));
    if (!doc) return void res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"Not found"}');
    res
      .writeHead(200, { 'content-type': 'application/json' })
      .end(JSON.stringify({ name: path.slice(1), 'dist-tags': { latest: doc.latest }, versions: doc.versions }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  for (const [i, pkg] of packages.entries()) {
    const root = join(dir, `pkg-${i}`);
    const files = { ...pkg.files, 'package.json': JSON.stringify({ name: pkg.name, version: pkg.version, dependencies: pkg.dependencies, bin: pkg.bin }) };
    for (const [file, text] of Object.entries(files)) {
      mkdirSync(join(root, 'package', file, '..'), { recursive: true });
      writeFileSync(join(root, 'package', file), text, { mode: pkg.executable?.includes(file) ? 0o755 : 0o644 });
    }
    await execa('tar', ['-czf', join(root, 'p.tgz'), '-C', root, 'package']);
    const bytes = readFileSync(join(root, 'p.tgz'));
    const tarPath = `/-/${pkg.name.replace('/', '-')}-${pkg.version}.tgz`;
    tarballs.set(tarPath, bytes);
    const doc = docs.get(pkg.name) ?? { versions: {}, latest: pkg.version };
    doc.versions[pkg.version] = {
      name: pkg.name,
      version: pkg.version,
      dependencies: pkg.dependencies,
      bin: pkg.bin,
      dist: { tarball: `${url}${tarPath}`, integrity: `sha512-${createHash('sha512').update(bytes).digest('base64')}` },
    };
    doc.latest = pkg.version; // the last one listed is the newest
    docs.set(pkg.name, doc);
  }
  return {
    url,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** A loopback port nothing listens on (bound, then closed). */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

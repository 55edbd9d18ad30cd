import { existsSync, readFileSync, statSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { extname, join, normalize, sep } from "node:path";

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json",
  ".txt": "text/plain; charset=utf-8",
};

/**
 * Serves a built playground folder over HTTP on loopback only (a Web Worker cannot start from a
 * file:// page). GET and HEAD of the folder's files; nothing outside it, whatever the path says.
 * Resolves once listening; `port` 0 takes a free one.
 */
export function servePlayground(dir: string, port: number): Promise<{ server: Server; url: string }> {
  const root = normalize(dir);
  const server = createServer((request, response) => {
    if (request.method !== "GET" && request.method !== "HEAD") {
      response.writeHead(405, { allow: "GET, HEAD" }).end();
      return;
    }
    const pathname = decodeURIComponentSafe(new URL(request.url ?? "/", "http://localhost").pathname);
    const file =
      pathname === undefined ? undefined : normalize(join(root, pathname === "/" ? "index.html" : pathname));
    if (file === undefined || !(file === root || file.startsWith(root + sep)) || !isFile(file)) {
      response.writeHead(404, { "content-type": "text/plain; charset=utf-8" }).end("not found\n");
      return;
    }
    const body = readFileSync(file);
    response.writeHead(200, {
      "content-type": TYPES[extname(file)] ?? "application/octet-stream",
      "content-length": body.length,
      "cache-control": "no-cache",
    });
    response.end(request.method === "HEAD" ? undefined : body);
  });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => {
      const address = server.address();
      const actual = typeof address === "object" && address !== null ? address.port : port;
      resolve({ server, url: `http://127.0.0.1:${actual}/` });
    });
  });
}

/** Whether `dir` holds a built playground. */
export function isBuilt(dir: string): boolean {
  return existsSync(join(dir, "index.html")) && existsSync(join(dir, "run-worker.js"));
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

function decodeURIComponentSafe(text: string): string | undefined {
  try {
    return decodeURIComponent(text);
  } catch {
    return undefined;
  }
}

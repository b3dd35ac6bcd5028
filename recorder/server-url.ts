// The server's base URL, in the three forms the recorder needs: the one it
// requests, the one it may write into a log (no credentials, query or
// fragment: a proxy token must never reach a shared log), and the WebSocket one.

export interface ServerUrls {
  /** Base for HTTP requests, no trailing slash (keeps a path prefix such as /comfy). */
  httpBase: string;
  /** The same base made safe to log. */
  loggable: string;
  /** Credentials given in the URL, sent as a Basic Authorization header, never logged. */
  basicAuth: string | null;
  /** Query parameters of the given URL (e.g. a proxy token): sent with every request, never logged. */
  query: string;
}

export function parseServerUrl(raw: string): ServerUrls {
  let url: URL;
  try {
    url = new URL(raw.includes("://") ? raw : `http://${raw}`);
  } catch {
    throw new Error(`--url "${stripSecrets(raw)}" is not a URL; expected e.g. http://127.0.0.1:8188`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new Error(`--url must start with http:// or https://, got ${url.protocol}//`);
  }
  const basicAuth =
    url.username || url.password
      ? Buffer.from(`${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`).toString("base64")
      : null;
  const query = url.search.replace(/^\?/, "");
  const path = url.pathname.replace(/\/+$/, "");
  const httpBase = `${url.protocol}//${url.host}${path}`;
  return { httpBase, loggable: httpBase, basicAuth, query };
}

/** http(s)://host/base + path (+ the URL's own query, merged). */
export function httpUrl(urls: ServerUrls, path: string): string {
  const joined = `${urls.httpBase}${path}`;
  if (!urls.query) return joined;
  return joined + (joined.includes("?") ? "&" : "?") + urls.query;
}

export function wsUrl(urls: ServerUrls, clientId: string): string {
  const base = urls.httpBase.replace(/^http/, "ws");
  const q = `clientId=${encodeURIComponent(clientId)}` + (urls.query ? `&${urls.query}` : "");
  return `${base}/ws?${q}`;
}

function stripSecrets(raw: string): string {
  return raw.replace(/\/\/[^/@]*@/, "//").replace(/\?.*$/, "");
}

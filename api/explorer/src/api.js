// Calls to polgraph's public API, from the page's own origin.
//
// Errors are RFC 9457 problem documents; apiGet turns them into an
// ApiError whose message is the document's detail, for #status. When
// reads need a key, the user pastes one: it is kept in sessionStorage
// (gone when the tab closes) and sent as `Authorization: Bearer`.

const keyName = 'polgraph.key';

export function apiKey() {
  try {
    return sessionStorage.getItem(keyName) || '';
  } catch {
    return '';
  }
}

export function setAPIKey(key) {
  try {
    if (key) sessionStorage.setItem(keyName, key);
    else sessionStorage.removeItem(keyName);
  } catch {
    // Storage refused (a private window): the key lasts as long as the page.
  }
  memoryKey = key;
}

let memoryKey = '';

function currentKey() {
  return apiKey() || memoryKey;
}

export class ApiError extends Error {
  constructor(message, status, problem) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.problem = problem || {};
  }
}

// apiGet fetches a path of the API and returns its JSON (or a Blob when
// as is 'blob'). It throws ApiError for an answer other than 2xx, with the
// problem document's detail, and for a server it cannot reach.
export async function apiGet(path, { signal, as = 'json' } = {}) {
  const headers = { Accept: as === 'json' ? 'application/json' : '*/*' };
  const key = currentKey();
  if (key) headers.Authorization = 'Bearer ' + key;
  let resp;
  try {
    resp = await fetch(path, { headers, signal, credentials: 'same-origin' });
  } catch (err) {
    if (err.name === 'AbortError') throw err;
    throw new ApiError('Cannot reach the polgraph server (' + err.message + ').', 0);
  }
  if (!resp.ok) {
    let problem = {};
    try {
      problem = await resp.json();
    } catch {
      // Not a problem document (a proxy's page): say what we know.
    }
    const detail = problem.detail || problem.title || `${resp.status} ${resp.statusText}`;
    throw new ApiError(detail, resp.status, problem);
  }
  if (as === 'blob') return resp.blob();
  return resp.json();
}

// query builds a query string from an object, leaving out empty values;
// arrays are joined with commas, as the API reads lists.
export function query(params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v === undefined || v === null || v === '') continue;
    q.set(k, Array.isArray(v) ? v.join(',') : String(v));
  }
  const s = q.toString();
  return s ? '?' + s : '';
}

export const ent = (id) => '/v1/entities/' + encodeURIComponent(id);

// Fingerprints: a stable 64-bit FNV-1a hash of canonical JSON (keys sorted),
// so the same workflow or environment gives the same id on every machine.
// Not for security: only to group runs.

// FNV-1a 64 in four 16-bit limbs: the same digits as BigInt arithmetic, which
// allocated a BigInt per character and was 5–10× slower (docs/performance.md).
// Every product stays far below 2^31, so all of it is int32 arithmetic.
/** The offset basis 0xcbf29ce484222325, low limb first. */
const FNV_OFFSET: readonly [number, number, number, number] = [0x2325, 0x8422, 0x9ce4, 0xcbf2];
/** The 64-bit FNV prime is 2^40 + 0x1b3: ×0x1b3 per limb, plus each limb shifted 40 bits (2 limbs and 8 bits) up. */
const FNV_PRIME_LOW = 0x1b3;

/**
 * Hashes already made, by canonical text. Every run of a log fingerprints the same workflow and
 * the same nodes again (seeds left out): hashing was ~0.6 ms of each run's cost. Bounded: cleared
 * when full. Only a cache: the answer is the same with or without it.
 */
const known = new Map<string, string>();
const KNOWN_MAX = 20_000;

export function fingerprint(value: unknown): string {
  return fingerprintText(canonicalJson(value));
}

/** The fingerprint of a text already canonical (fingerprint(v) is fingerprintText(canonicalJson(v))). */
export function fingerprintText(text: string): string {
  const hit = known.get(text);
  if (hit !== undefined) return hit;
  const hash = fnv1a64(text);
  if (known.size >= KNOWN_MAX) known.clear();
  known.set(text, hash);
  return hash;
}

function fnv1a64(text: string): string {
  let [h0, h1, h2, h3] = FNV_OFFSET;
  for (let i = 0; i < text.length; i++) {
    h0 ^= text.charCodeAt(i);
    const t0 = h0 * FNV_PRIME_LOW;
    const t1 = h1 * FNV_PRIME_LOW + (t0 >>> 16);
    const t2 = h2 * FNV_PRIME_LOW + (h0 << 8) + (t1 >>> 16);
    h3 = (h3 * FNV_PRIME_LOW + (h1 << 8) + (t2 >>> 16)) & 0xffff;
    h0 = t0 & 0xffff;
    h1 = t1 & 0xffff;
    h2 = t2 & 0xffff;
  }
  return [h3, h2, h1, h0].map((limb) => limb.toString(16).padStart(4, "0")).join("");
}

export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value) ?? "null";
  // Appending to one string, not map + join: this runs over every run's whole workflow.
  if (Array.isArray(value)) {
    let out = "[";
    for (let i = 0; i < value.length; i++) out += (i === 0 ? "" : ",") + canonicalJson(value[i]);
    return out + "]";
  }
  const obj = value as Record<string, unknown>;
  let out = "{";
  for (const key of Object.keys(obj).sort()) {
    if (obj[key] === undefined) continue;
    out += (out.length === 1 ? "" : ",") + JSON.stringify(key) + ":" + canonicalJson(obj[key]);
  }
  return out + "}";
}

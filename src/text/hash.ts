// Fingerprints: a stable 64-bit FNV-1a hash of canonical JSON (keys sorted),
// so the same workflow or environment gives the same id on every machine.
// Not for security: only to group runs.

// FNV-1a 64 in two 32-bit halves: the same digits as BigInt arithmetic, which
// allocated a BigInt per character and was ~30× slower (docs/performance.md).
const FNV_OFFSET_HI = 0xcbf29ce4;
const FNV_OFFSET_LO = 0x84222325;
/** The 64-bit FNV prime is 2^40 + 0x1b3. */
const FNV_PRIME_LOW_BITS = 0x1b3;
const TWO_32 = 2 ** 32;

export function fingerprint(value: unknown): string {
  const text = canonicalJson(value);
  let hi = FNV_OFFSET_HI;
  let lo = FNV_OFFSET_LO;
  for (let i = 0; i < text.length; i++) {
    lo = (lo ^ text.charCodeAt(i)) >>> 0;
    // h × (2^40 + 0x1b3) mod 2^64: every product stays below 2^53, so doubles hold it exactly.
    const low = lo * FNV_PRIME_LOW_BITS;
    hi = (hi * FNV_PRIME_LOW_BITS + Math.floor(low / TWO_32) + ((lo << 8) >>> 0)) >>> 0;
    lo = low >>> 0;
  }
  return hi.toString(16).padStart(8, "0") + lo.toString(16).padStart(8, "0");
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

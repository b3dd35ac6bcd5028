// Node ids in one order everywhere a list of them is shown or tie-broken.

/**
 * Total order on node ids, "natural": runs of digits compare as numbers, so
 * "2" < "10" and "5:2" < "5:10"; other runs compare by code unit. Ids that
 * differ only in leading zeros fall back to plain string order, so the order
 * stays total and every tie-break built on it is deterministic.
 */
export function compareNodeIds(a: string, b: string): number {
  if (a === b) return 0;
  // ComfyUI's ids are plain numbers ("7", "42"): the general case below gives the same answer, at a regex per call.
  if (isPlainNumber(a) && isPlainNumber(b)) return a.length !== b.length ? a.length - b.length : a < b ? -1 : 1;
  const ca = a.match(/\d+|\D+/g) ?? [];
  const cb = b.match(/\d+|\D+/g) ?? [];
  for (let i = 0; i < Math.min(ca.length, cb.length); i++) {
    const x = ca[i]!;
    const y = cb[i]!;
    if (isDigits(x) && isDigits(y)) {
      // Compare by length after leading zeros, then digit by digit: no precision loss on long ids.
      const xs = x.replace(/^0+/, "");
      const ys = y.replace(/^0+/, "");
      if (xs.length !== ys.length) return xs.length - ys.length;
      if (xs !== ys) return xs < ys ? -1 : 1;
    } else if (x !== y) {
      return x < y ? -1 : 1;
    }
  }
  if (ca.length !== cb.length) return ca.length - cb.length;
  return a < b ? -1 : 1;
}

const isDigits = (s: string): boolean => s.charCodeAt(0) >= 48 && s.charCodeAt(0) <= 57;

/** Digits only, without a leading zero. */
function isPlainNumber(s: string): boolean {
  if (s.length === 0 || s.charCodeAt(0) === 48) return false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

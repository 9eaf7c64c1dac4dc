/**
 * Key naming: `tg:{<tag>}:<rest>`. Redis Cluster hashes only the text inside the first `{…}`, so
 * every key built with the same tag lands in the same slot and one script may touch them all.
 */
export function taggedKey(tag: string, ...parts: readonly (string | number)[]): string {
  if (tag.includes('{') || tag.includes('}')) throw new Error(`hash tag may not contain braces: ${tag}`);
  let key = `tg:{${tag}}`;
  for (const p of parts) key += `:${p}`;
  return key;
}

/** The CRC16 slot Redis Cluster assigns a key (used by tests to prove scripts are cluster-safe). */
export function hashSlot(key: string): number {
  const open = key.indexOf('{');
  let hashed = key;
  if (open !== -1) {
    const close = key.indexOf('}', open + 1);
    if (close > open + 1) hashed = key.slice(open + 1, close);
  }
  return crc16(Buffer.from(hashed)) % 16384;
}

function crc16(buf: Buffer): number {
  let crc = 0;
  for (const byte of buf) {
    crc ^= byte << 8;
    for (let i = 0; i < 8; i++) crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
  }
  return crc;
}

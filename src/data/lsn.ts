// PostgreSQL WAL positions ('16/B374D848': two hex halves of a 64-bit byte offset) as comparable numbers.

const LSN = /^([0-9A-Fa-f]{1,8})\/([0-9A-Fa-f]{1,8})$/;

/** The byte position of an LSN; throws on anything that is not one (a bug, never user input). */
export function parseLsn(text: string): bigint {
  const match = LSN.exec(text);
  if (!match) throw new Error(`Not a WAL LSN: ${JSON.stringify(text)}`);
  return (BigInt(`0x${match[1]}`) << 32n) | BigInt(`0x${match[2]}`);
}

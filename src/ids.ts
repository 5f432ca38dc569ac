// Row ids are UUIDs. Checking the shape before a query keeps a malformed id a 400/401/404,
// instead of a PostgreSQL cast error (a 500).
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const isUuid = (value: string): boolean => UUID.test(value);

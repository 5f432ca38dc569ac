// The operations anyone may call without signing in, by operationId: what the response cache, the
// public read lane and the handlers' collaborators (services.ts) all name.
export const PUBLIC_READ_IDS = ['listContent', 'compareContent', 'getContent', 'listProducts', 'getProduct'] as const;
export type PublicReadId = (typeof PUBLIC_READ_IDS)[number];

export const isPublicReadId = (id: string): id is PublicReadId => (PUBLIC_READ_IDS as readonly string[]).includes(id);

// What readers see changed. Told after the commit and before the writer gets an answer, so the
// writer's next read on this instance already sees it; other instances hear it from the database.

export type ContentChanges = { published(): Promise<void> };

export const unobservedChanges: ContentChanges = { published: async () => {} };

import type { RandomCameraReviewsClient } from '../../../sdk/src/index.js';

// One SDK call per contract operation, with inputs the contract's examples accept. Run in this
// order (login before refresh before logout).

export const EXAMPLE = {
  reviewId: '5b7c1f3e-2a4d-4c8e-9f10-3d2b1a0c9e88',
  slugs: ['fujifilm-x-t5-review-k3m9q2', 'sony-a7-iv-review-p8d2w1'],
  productId: '0f8e2d1c-6b5a-4f3e-8d7c-1a2b3c4d5e6f',
  editorId: '9a1b2c3d-4e5f-4a6b-8c7d-0e1f2a3b4c5d',
};

type Call = (client: RandomCameraReviewsClient) => PromiseLike<unknown>;

export const everyOperation: Record<string, Call> = {
  listContent: (c) => c.content.list({ q: 'full-frame low light', type: 'camera', limit: 5 }),
  compareContent: (c) => c.content.compare(EXAMPLE.slugs),
  getContent: (c) => c.content.get(EXAMPLE.slugs[0] as string),
  listProducts: (c) => c.products.list({ brand: 'Sony' }),
  getProduct: (c) => c.products.get(EXAMPLE.productId),
  createProduct: (c) => c.products.create({ type: 'lens', brand: 'Sigma', model: '56mm F1.4 DC DN', mount: 'X', specs: { max_aperture: 1.4 } }),
  login: (c) => c.auth.login({ email: 'valentina@randomcamerareviews.example', password: 'correct horse battery staple' }),
  refreshToken: (c) => c.auth.refresh(),
  logout: (c) => c.auth.logout(),
  getMe: (c) => c.auth.me(),
  changeOwnPassword: (c) => c.auth.changePassword({ current_password: 'initial-password-123', new_password: 'correct horse battery staple' }),
  listMyReviews: (c) => c.reviews.list({ status: 'draft' }),
  createReview: (c) =>
    c.reviews.create({ product_id: EXAMPLE.productId, title: 'X-T5 in the rain', summary: 'Sealed enough.', body: 'Long text.', verdict_score: 8.5 }),
  getReview: (c) => c.reviews.get(EXAMPLE.reviewId),
  updateReview: (c) => c.reviews.update(EXAMPLE.reviewId, { title: 'X-T5 in the snow' }, { ifMatch: '"v1"' }),
  deleteReview: (c) => c.reviews.delete(EXAMPLE.reviewId, { ifMatch: '"v2"' }),
  listEditors: (c) => c.editors.list({ role: 'editor' }),
  createEditor: (c) => c.editors.create({ email: 'new@randomcamerareviews.example', display_name: 'New Editor', initial_password: 'initial-password-123' }),
  getEditor: (c) => c.editors.get(EXAMPLE.editorId),
  updateEditor: (c) => c.editors.update(EXAMPLE.editorId, { status: 'disabled' }, { ifMatch: '"v1"' }),
};

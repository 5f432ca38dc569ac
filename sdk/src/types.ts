// Names for the contract's shapes, taken from the generated types (never redefined by hand),
// written out in full so that the reference docs link each one to its generated schema.
import type { components, operations } from './generated/reviews.js';

export type ContentItem = components['schemas']['ContentItem'];
export type ContentPage = components['schemas']['ContentPage'];
export type PublishedReview = components['schemas']['PublishedReview'];
export type Comparison = components['schemas']['Comparison'];
export type Product = components['schemas']['Product'];
export type ProductDetail = components['schemas']['ProductDetail'];
export type ProductPage = components['schemas']['ProductPage'];
export type ProductCreate = components['schemas']['ProductCreate'];
export type Review = components['schemas']['Review'];
export type ReviewPage = components['schemas']['ReviewPage'];
export type ReviewCreate = components['schemas']['ReviewCreate'];
export type ReviewPatch = components['schemas']['ReviewPatch'];
export type Editor = components['schemas']['Editor'];
export type EditorPage = components['schemas']['EditorPage'];
export type EditorCreate = components['schemas']['EditorCreate'];
export type EditorPatch = components['schemas']['EditorPatch'];
export type PasswordChange = components['schemas']['PasswordChange'];

export type ListContentQuery = NonNullable<operations['listContent']['parameters']['query']>;
export type ListProductsQuery = NonNullable<operations['listProducts']['parameters']['query']>;
export type ListMyReviewsQuery = NonNullable<operations['listMyReviews']['parameters']['query']>;
export type ListEditorsQuery = NonNullable<operations['listEditors']['parameters']['query']>;

// Names for the contract's shapes, taken from the generated types (never redefined by hand).
import type { components, operations } from './generated/reviews.js';

type Schemas = components['schemas'];
type QueryOf<Op extends keyof operations> = NonNullable<operations[Op]['parameters']['query']>;

export type ContentItem = Schemas['ContentItem'];
export type ContentPage = Schemas['ContentPage'];
export type PublishedReview = Schemas['PublishedReview'];
export type Comparison = Schemas['Comparison'];
export type Product = Schemas['Product'];
export type ProductDetail = Schemas['ProductDetail'];
export type ProductPage = Schemas['ProductPage'];
export type ProductCreate = Schemas['ProductCreate'];
export type Review = Schemas['Review'];
export type ReviewPage = Schemas['ReviewPage'];
export type ReviewCreate = Schemas['ReviewCreate'];
export type ReviewPatch = Schemas['ReviewPatch'];
export type Editor = Schemas['Editor'];
export type EditorPage = Schemas['EditorPage'];
export type EditorCreate = Schemas['EditorCreate'];
export type EditorPatch = Schemas['EditorPatch'];
export type PasswordChange = Schemas['PasswordChange'];

export type ListContentQuery = QueryOf<'listContent'>;
export type ListProductsQuery = QueryOf<'listProducts'>;
export type ListMyReviewsQuery = QueryOf<'listMyReviews'>;
export type ListEditorsQuery = QueryOf<'listEditors'>;

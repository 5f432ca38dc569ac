import type { EditorRow } from '../data/editor-repository.js';
import type { ProductRow } from '../data/product-repository.js';
import type { ContentItemRow, PublishedReviewRow } from '../data/content-repository.js';
import type { ReviewRow } from '../data/review-repository.js';
import type { Schemas } from './types.js';

// Rows → contract shapes. Field names stay the spec's; only representation changes here.

const iso = (d: Date) => d.toISOString();

export function productSummary(
  r: Pick<ReviewRow, 'product_id' | 'product_type' | 'product_brand' | 'product_model' | 'product_mount'>,
): Schemas['ProductSummary'] {
  return {
    id: r.product_id,
    type: r.product_type,
    brand: r.product_brand,
    model: r.product_model,
    name: `${r.product_brand} ${r.product_model}`,
    mount: r.product_mount,
  };
}

export function contentItem(r: ContentItemRow): Schemas['ContentItem'] {
  return {
    id: r.id,
    slug: r.slug,
    title: r.title,
    summary: r.summary,
    verdict_score: r.verdict_score,
    cover_image: r.cover_image,
    product: productSummary(r),
    editor: { id: r.editor_id, display_name: r.editor_display_name },
    published_at: iso(r.published_at),
    updated_at: iso(r.updated_at),
  };
}

// Extended with Object.assign, not spread into a copy: under load V8 moved spread copies of these
// many-field objects straight to the old generation, and each read then fed the major GC (see
// sendEntry in src/http/public-reads/fast-path.ts).
export function publishedReview(r: PublishedReviewRow): Schemas['PublishedReview'] {
  return Object.assign(contentItem(r), { body: r.body, pros: r.pros, cons: r.cons, images: r.images });
}

export function review(r: ReviewRow): Schemas['Review'] {
  return {
    id: r.id,
    slug: r.slug,
    status: r.status,
    title: r.title,
    summary: r.summary,
    body: r.body,
    pros: r.pros,
    cons: r.cons,
    verdict_score: r.verdict_score,
    images: r.images,
    product: productSummary(r),
    editor: { id: r.editor_id, display_name: r.editor_display_name },
    version: r.version,
    created_at: iso(r.created_at),
    updated_at: iso(r.updated_at),
    published_at: r.published_at ? iso(r.published_at) : null,
  };
}

export function product(p: ProductRow): Schemas['Product'] {
  return {
    id: p.id,
    type: p.type,
    brand: p.brand,
    model: p.model,
    name: `${p.brand} ${p.model}`,
    mount: p.mount,
    released_year: p.released_year,
    specs: p.specs,
    review_count: p.review_count,
    average_verdict: p.average_verdict,
    created_at: iso(p.created_at),
  };
}

export function editor(e: EditorRow): Schemas['Editor'] {
  return {
    id: e.id,
    email: e.email,
    display_name: e.display_name,
    role: e.role,
    status: e.status,
    must_change_password: e.must_change_password,
    created_at: iso(e.created_at),
    updated_at: iso(e.updated_at),
  };
}

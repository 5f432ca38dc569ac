// The README's quickstart as a frontend developer writes it: sign in, post a review, search,
// and handle a validation error by its code. Run: node quickstart.js <baseUrl> <email> <password>
import { BadRequestError, createClient, type ReviewCreate } from '@randomcamerareviews/sdk';

const [baseUrl = 'http://localhost:3000/v1', email = '', password = ''] = process.argv.slice(2);
const client = createClient({ baseUrl, credentials: { email, password } });

await client.auth.login();
const [camera] = await client.products.list({ q: 'X-T5' }).toArray({ max: 1 });
if (!camera) throw new Error('No X-T5 in the catalog');

const draft: ReviewCreate = {
  product_id: camera.id,
  title: 'X-T5 after a month in Patagonia',
  summary: 'Dials and detail.',
  body: '## Handling\n\nSuperb.',
  verdict_score: 9,
  status: 'published',
};
const review = await client.reviews.create(draft);
console.log(`published ${review.slug}`);

for await (const found of client.content.list({ q: 'patagonia' })) console.log(`found ${found.title}`);

try {
  await client.reviews.create({ ...draft, verdict_score: 11 });
} catch (error) {
  if (!(error instanceof BadRequestError && error.code === 'validation_failed')) throw error;
  console.log(`rejected: ${error.errors.map((e) => `${e.path} ${e.message}`).join('; ')}`);
}
await client.auth.logout();

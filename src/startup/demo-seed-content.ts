import type { ProductSpecs, ProductType } from '../data/product-repository.js';
import type { NewReview } from '../data/review-repository.js';

// A small, realistic demo catalog so a newcomer sees content on the first start.

export const DEMO_EDITORS = [
  { key: 'valentina', email: 'valentina.rojas@demo.randomcamerareviews.example', display_name: 'Valentina Rojas' },
  { key: 'mateo', email: 'mateo.silva@demo.randomcamerareviews.example', display_name: 'Mateo Silva' },
  { key: 'camila', email: 'camila.ferreira@demo.randomcamerareviews.example', display_name: 'Camila Ferreira' },
] as const;

type DemoProduct = { key: string; type: ProductType; brand: string; model: string; mount: string | null; released_year: number; specs: ProductSpecs };

export const DEMO_PRODUCTS: DemoProduct[] = [
  { key: 'xt5', type: 'camera', brand: 'Fujifilm', model: 'X-T5', mount: 'X', released_year: 2022, specs: { sensor_format: 'APS-C', resolution_mp: 40.2, ibis: true, max_video: '6.2K30p', iso_max: 51200, burst_fps: 15, weather_sealed: true, weight_g: 557 } },
  { key: 'a7iv', type: 'camera', brand: 'Sony', model: 'A7 IV', mount: 'E', released_year: 2021, specs: { sensor_format: 'full-frame', resolution_mp: 33, ibis: true, max_video: '4K60p', iso_max: 204800, burst_fps: 10, weather_sealed: true, weight_g: 658 } },
  { key: 'r6ii', type: 'camera', brand: 'Canon', model: 'EOS R6 Mark II', mount: 'RF', released_year: 2022, specs: { sensor_format: 'full-frame', resolution_mp: 24.2, ibis: true, max_video: '4K60p', iso_max: 204800, burst_fps: 40, weather_sealed: true, weight_g: 670 } },
  { key: 'z6iii', type: 'camera', brand: 'Nikon', model: 'Z6III', mount: 'Z', released_year: 2024, specs: { sensor_format: 'full-frame', resolution_mp: 24.5, ibis: true, max_video: '6K60p', iso_max: 204800, burst_fps: 20, weather_sealed: true, weight_g: 760 } },
  { key: 'x100vi', type: 'camera', brand: 'Fujifilm', model: 'X100VI', mount: null, released_year: 2024, specs: { sensor_format: 'APS-C', resolution_mp: 40.2, ibis: true, max_video: '6.2K30p', iso_max: 51200, weight_g: 521 } },
  { key: 'om1ii', type: 'camera', brand: 'OM System', model: 'OM-1 Mark II', mount: 'Micro Four Thirds', released_year: 2024, specs: { sensor_format: 'Micro Four Thirds', resolution_mp: 20.4, ibis: true, max_video: '4K60p', iso_max: 102400, burst_fps: 120, weather_sealed: true, weight_g: 599 } },
  { key: 'gr3', type: 'camera', brand: 'Ricoh', model: 'GR III', mount: null, released_year: 2019, specs: { sensor_format: 'APS-C', resolution_mp: 24.2, ibis: true, max_video: '1080p60', iso_max: 102400, weight_g: 257 } },
  { key: 'xf33', type: 'lens', brand: 'Fujifilm', model: 'XF 33mm F1.4 R LM WR', mount: 'X', released_year: 2021, specs: { sensor_format: 'APS-C', focal_length_min_mm: 33, focal_length_max_mm: 33, max_aperture: 1.4, weather_sealed: true, weight_g: 360 } },
  { key: 'fe2470', type: 'lens', brand: 'Sony', model: 'FE 24-70mm F2.8 GM II', mount: 'E', released_year: 2022, specs: { sensor_format: 'full-frame', focal_length_min_mm: 24, focal_length_max_mm: 70, max_aperture: 2.8, weather_sealed: true, weight_g: 695 } },
  { key: 'rf50', type: 'lens', brand: 'Canon', model: 'RF 50mm F1.8 STM', mount: 'RF', released_year: 2020, specs: { sensor_format: 'full-frame', focal_length_min_mm: 50, focal_length_max_mm: 50, max_aperture: 1.8, weight_g: 160 } },
  { key: 'sigma35', type: 'lens', brand: 'Sigma', model: '35mm F1.4 DG DN Art (E)', mount: 'E', released_year: 2021, specs: { sensor_format: 'full-frame', focal_length_min_mm: 35, focal_length_max_mm: 35, max_aperture: 1.4, weather_sealed: true, weight_g: 645 } },
  { key: 'z70200', type: 'lens', brand: 'Nikon', model: 'NIKKOR Z 70-200mm f/2.8 VR S', mount: 'Z', released_year: 2020, specs: { sensor_format: 'full-frame', focal_length_min_mm: 70, focal_length_max_mm: 200, max_aperture: 2.8, optical_stabilization: true, weather_sealed: true, weight_g: 1440 } },
];

type DemoReview = Pick<NewReview, 'title' | 'summary' | 'body' | 'pros' | 'cons' | 'verdict_score'> & {
  product: string;
  editor: (typeof DEMO_EDITORS)[number]['key'];
  days_ago: number;
};

const img = (name: string, alt: string) => ({ url: `https://images.randomcamerareviews.example/demo/${name}.jpg`, alt });

export const DEMO_REVIEWS: (DemoReview & { images: { url: string; alt: string }[] })[] = [
  {
    product: 'xt5', editor: 'valentina', days_ago: 2, verdict_score: 9,
    title: 'Fujifilm X-T5 review: 40 megapixels with dials',
    summary: 'The sharpest APS-C camera yet, wrapped in the dial-driven body that photographers love.',
    body: '## Handling\n\nShutter, ISO and exposure compensation dials are back on top, and the body is smaller than the X-T4.\n\n## Image quality\n\nThe 40 MP sensor resolves fine detail in Patagonian landscapes; high ISO noise is well controlled up to 6400.\n\n## Autofocus\n\nSubject detection tracks birds and animals reliably, though it is not the fastest for sports.',
    pros: ['40 MP sensor', 'Classic exposure dials', '7-stop IBIS'], cons: ['No vertical grip option', 'Tilt screen, not fully articulated'],
    images: [img('x-t5-front', 'Fujifilm X-T5 seen from the front'), img('x-t5-top', 'Top dials of the Fujifilm X-T5')],
  },
  {
    product: 'a7iv', editor: 'mateo', days_ago: 5, verdict_score: 8.5,
    title: 'Sony A7 IV review: the all-rounder for hybrid shooters',
    summary: 'A full-frame body that does stills, video and events well, with excellent autofocus and lens choice.',
    body: '## Autofocus\n\nReal-time tracking locks onto eyes in low light at weddings in Bogotá.\n\n## Video\n\n4K60p is cropped, but 10-bit 4:2:2 gives grading room.\n\n## Battery\n\nOver 500 shots per charge in mixed use.',
    pros: ['Reliable eye autofocus', 'Huge E-mount lens range', 'Good battery life'], cons: ['4K60p crop', 'Rolling shutter in fast pans'],
    images: [img('a7-iv-front', 'Sony A7 IV with a standard zoom')],
  },
  {
    product: 'r6ii', editor: 'camila', days_ago: 8, verdict_score: 9,
    title: 'Canon EOS R6 Mark II review: low-light champion',
    summary: 'Twenty-four clean megapixels, superb stabilisation and tracking make it an event and wildlife workhorse.',
    body: '## Low light\n\nISO 12800 files from a candle-lit dinner in Lisbon are perfectly usable.\n\n## Speed\n\nThe 40 fps electronic shutter captures peak action; the mechanical shutter reaches 12 fps.',
    pros: ['Excellent high-ISO performance', 'Class-leading stabilisation', 'Fast, sticky tracking'], cons: ['24 MP limits cropping', 'Micro HDMI port'],
    images: [img('r6-ii-front', 'Canon EOS R6 Mark II front view')],
  },
  {
    product: 'z6iii', editor: 'mateo', days_ago: 12, verdict_score: 8.5,
    title: 'Nikon Z6III review: a brighter viewfinder and a faster sensor',
    summary: 'The partially stacked sensor cuts rolling shutter and the viewfinder is the brightest we have used.',
    body: '## Viewfinder\n\nAt 4000 nits the EVF stays readable in the midday sun of the Atacama.\n\n## Sensor\n\nThe partially stacked design trades a little dynamic range for speed.',
    pros: ['Outstanding viewfinder', '6K internal RAW video', 'Great ergonomics'], cons: ['Slightly lower dynamic range than the Z6II', 'Heavier than rivals'],
    images: [img('z6-iii-back', 'Rear screen and viewfinder of the Nikon Z6III')],
  },
  {
    product: 'x100vi', editor: 'valentina', days_ago: 15, verdict_score: 8,
    title: 'Fujifilm X100VI review: the street camera everyone wants',
    summary: 'Stabilisation finally arrives in a compact that makes you want to take it everywhere.',
    body: '## Street shooting\n\nThe leaf shutter is silent and the hybrid finder keeps you connected to the scene in Buenos Aires streets.\n\n## Limits\n\nThe fixed 23mm lens is soft wide open at close focus.',
    pros: ['Compact and discreet', 'In-body stabilisation', 'Hybrid viewfinder'], cons: ['Hard to buy', 'Soft wide open up close'],
    images: [img('x100vi-street', 'Fujifilm X100VI on a city street')],
  },
  {
    product: 'om1ii', editor: 'camila', days_ago: 20, verdict_score: 8,
    title: 'OM System OM-1 Mark II review: a birder in a small bag',
    summary: 'Micro Four Thirds reach, computational modes and weather sealing for wildlife trips.',
    body: '## Wildlife\n\nPro Capture saved a kingfisher dive in the Pantanal that we would otherwise have missed.\n\n## Noise\n\nAbove ISO 3200 the smaller sensor shows its limits.',
    pros: ['Pro Capture pre-buffer', 'Excellent weather sealing', 'Light telephoto kit'], cons: ['Noise at high ISO', 'Menu system is dense'],
    images: [img('om-1-ii-bird', 'OM System OM-1 Mark II with a telephoto lens')],
  },
  {
    product: 'gr3', editor: 'mateo', days_ago: 26, verdict_score: 7.5,
    title: 'Ricoh GR III review: the pocket APS-C camera',
    summary: 'It fits in a jeans pocket and still delivers APS-C image quality, if you accept its quirks.',
    body: '## Size\n\nThe GR III disappears in a pocket, which means it comes along every day.\n\n## Quirks\n\nBattery life is short and there is no viewfinder.',
    pros: ['Truly pocketable', 'Snap focus', 'Sharp 28mm-equivalent lens'], cons: ['Short battery life', 'No viewfinder', 'Dust can reach the sensor'],
    images: [img('gr-iii-pocket', 'Ricoh GR III next to a phone')],
  },
  {
    product: 'xf33', editor: 'valentina', days_ago: 30, verdict_score: 9,
    title: 'Fujifilm XF 33mm F1.4 R LM WR review: the standard prime for X-mount',
    summary: 'Sharp wide open, quick and silent focus, and sealed against the weather.',
    body: '## Sharpness\n\nCorner to corner sharp at f/1.4 on the 40 MP X-T5.\n\n## Focus\n\nThe linear motor is silent and fast enough for street work.',
    pros: ['Sharp wide open', 'Fast linear-motor AF', 'Weather sealed'], cons: ['Larger than the old 35mm f/2'],
    images: [img('xf33-lens', 'Fujifilm XF 33mm F1.4 lens')],
  },
  {
    product: 'fe2470', editor: 'mateo', days_ago: 34, verdict_score: 9.5,
    title: 'Sony FE 24-70mm F2.8 GM II review: the lightest pro zoom',
    summary: 'Lighter than any rival f/2.8 standard zoom and sharp enough to replace primes.',
    body: '## Weight\n\nAt 695 g it is the lightest full-frame 24-70mm f/2.8 we have carried through a wedding day.\n\n## Optics\n\nSharpness rivals primes across the range.',
    pros: ['Very light', 'Prime-like sharpness', 'Aperture ring'], cons: ['Expensive'],
    images: [img('fe-24-70-gm-ii', 'Sony FE 24-70mm F2.8 GM II lens')],
  },
  {
    product: 'rf50', editor: 'camila', days_ago: 40, verdict_score: 8,
    title: 'Canon RF 50mm F1.8 STM review: the nifty fifty done right',
    summary: 'Tiny, cheap and sharp once stopped down: the first prime every RF shooter should buy.',
    body: '## Value\n\nFor the price of a dinner in Madrid you get a bright, sharp standard prime.\n\n## Focus\n\nThe STM motor is audible in video.',
    pros: ['Very affordable', 'Tiny and light', 'Sharp at f/2.8'], cons: ['Noisy focus motor', 'Soft corners wide open'],
    images: [img('rf-50-stm', 'Canon RF 50mm F1.8 STM lens')],
  },
  {
    product: 'sigma35', editor: 'valentina', days_ago: 47, verdict_score: 8.5,
    title: 'Sigma 35mm F1.4 DG DN Art review: Art quality, mirrorless size',
    summary: 'A sharp, fast 35mm with an aperture ring and de-click switch at a fair price.',
    body: '## Build\n\nAperture ring, de-click switch and weather sealing make it feel premium.\n\n## Rendering\n\nBokeh is smooth with little onion ringing.',
    pros: ['Sharp wide open', 'Aperture ring', 'Fair price'], cons: ['Heavier than native rivals'],
    images: [img('sigma-35-art', 'Sigma 35mm F1.4 DG DN Art lens')],
  },
  {
    product: 'z70200', editor: 'camila', days_ago: 55, verdict_score: 9,
    title: 'NIKKOR Z 70-200mm f/2.8 VR S review: the telephoto to beat',
    summary: 'Superb sharpness, fast focus and effective stabilisation for sport and portrait work.',
    body: '## Sport\n\nFocus tracking with the Z6III kept football players sharp under stadium lights in São Paulo.\n\n## Portraits\n\nAt 200mm f/2.8 backgrounds melt away.',
    pros: ['Outstanding sharpness', 'Fast and quiet focus', '5.5-stop VR'], cons: ['Heavy', 'Expensive'],
    images: [img('z-70-200', 'NIKKOR Z 70-200mm f/2.8 lens')],
  },
];

// The words review text is drawn from. Picked with a Zipf-like (log-uniform) distribution over
// their rank, so the head behaves like the terms readers search for most (a few match a quarter
// of all reviews or more) and the tail like names that match a handful.

/** Review vocabulary, most common first; no English stop words (to_tsvector would drop them). */
const COMMON_WORDS = `
camera lens image sharp autofocus light shots focus sensor colour detail quality
photos lenses body low great good handling review battery video performance speed
excellent subject noise stabilisation travel landscape portrait fast grip weather
sealing price value lightweight compact viewfinder screen menu dials controls
contrast bokeh aperture zoom prime wide telephoto street wildlife sports weddings
events studio files raw jpeg dynamic range highlights shadows skin tones tracking
eye detection burst shutter electronic mechanical rolling readout silent ergonomics
build metal plastic buttons joystick touchscreen articulating tilting rear top
plate mount adapter firmware update menus custom modes profiles film simulations
recipes output hdmi usb charging port card slots cfexpress sd memory buffer
clearing frames second continuous single servo manual override ring clicks
declicked iris hood filter thread diameter weight balance gimbal tripod handheld
vignetting distortion chromatic aberration flare ghosting corners centre edges
stopped wide-open rendering character micro-contrast resolution megapixels crop
cropping pixel shift high-res mode hdr bracketing intervals timelapse astro night
sky milky stars foliage water waves sunset sunrise golden hour blue overcast
rain dust freezing cold heat humidity beach mountain forest desert city urban
architecture interiors product food macro close-up magnification working distance
minimum focusing breathing focus-by-wire linear motor stepping whisper quiet noisy
hunting confident sticky reliable predictable erratic misses keepers hit rate
percentage outstanding superb impressive decent mediocre disappointing frustrating
pleasing natural vivid muted saturated warm cool neutral accurate white auto
metering exposure compensation histogram zebras peaking waveform log gamma 10-bit
4:2:2 codec bitrate overheating recording limits crop-free oversampled downsampled
stabilised ibis digital cinema vlogging creators hybrid shooters beginners
enthusiasts professionals upgrade predecessor successor rival competitor alternative
flagship entry-level midrange budget premium pricey affordable bargain investment
lens-cap pouch strap case leather knurled aluminium magnesium alloy gasket seals
splash-proof freeze-proof shockproof rugged durable robust flimsy wobbly solid
reassuring tactile satisfying click detents aperture-ring switch toggle lever
`;

/** Rare real names, slotted into the tail so rare search terms are words readers might type. */
const RARE_NAMES = `
patagonia lisbon bogota reykjavik kyoto hokkaido marrakech atacama lofoten dolomites
serengeti yosemite tasmania kamchatka svalbard zanzibar cappadocia havana valparaiso
oaxaca cartagena montevideo tbilisi yerevan samarkand bhutan ladakh sikkim borneo
sulawesi palawan okinawa queenstown fiordland kimberley kakadu uluru namib okavango
etosha drakensberg madagascar seychelles socotra faroe orkney hebrides connemara
andalusia galicia provence camargue tuscany sicily sardinia corsica crete santorini
meteora transylvania bavaria lapland greenland baffin yukon banff jasper olympic
sonoran mojave patagonian altiplano uyuni titicaca amazonas pantanal galapagos
lencois chapada iguazu mendoza salta ushuaia torres fitzroy aconcagua cotopaxi
chimborazo quilotoa huascaran arequipa cusco
`;

/** Ignored by to_tsvector('english', …); they give sentences realistic length and rhythm. */
export const STOP_WORDS = ['the', 'and', 'with', 'in', 'for', 'of', 'a', 'is', 'it', 'on', 'at', 'but', 'very', 'when', 'this'];

export const SECTION_HEADINGS = [
  'Handling',
  'Image quality',
  'Autofocus',
  'Video',
  'Battery life',
  'Build and weather sealing',
  'Low light',
  'Sharpness',
  'Bokeh',
  'Value',
  'In the field',
  'Who is it for',
  'Verdict',
];

export const PROS = [
  'Excellent image quality',
  'Reliable eye autofocus',
  'Compact and light',
  'Great battery life',
  'Weather sealed',
  'Superb stabilisation',
  'Sharp wide open',
  'Fast, quiet focusing',
  'Classic dials',
  'Bright viewfinder',
  'Clean high ISO files',
  'Affordable for what it offers',
  'Solid metal build',
  'Pleasing bokeh',
  'Dual card slots',
  'Fully articulating screen',
  'Internal 10-bit video',
  'Useful custom buttons',
  'Minimal distortion',
  'Close focusing distance',
  'Aperture ring with click switch',
  'USB-C charging',
  'Large buffer',
  'Excellent value used',
];

export const CONS = [
  'Pricey',
  'Heavy for its class',
  'Short battery life',
  'No weather sealing',
  'Menu system is confusing',
  'Video crop in 4K60',
  'Rolling shutter in fast pans',
  'Single card slot',
  'Micro HDMI port',
  'Focus breathing',
  'Noisy focus motor',
  'Vignetting wide open',
  'Soft corners at the long end',
  'No in-body stabilisation',
  'Small grip',
  'Overheats in long recordings',
  'Tilt screen only',
  'Lens cap falls off easily',
  'Slow buffer clearing',
  'Limited native lenses',
  'Plastic mount',
  'Chromatic aberration in high contrast',
];

const SYLLABLES = [
  'ka',
  'lo',
  'mi',
  'ren',
  'tor',
  'vis',
  'zan',
  'bel',
  'dru',
  'fen',
  'gar',
  'hol',
  'jun',
  'kel',
  'mor',
  'nal',
  'pim',
  'quo',
  'ras',
  'sel',
  'tam',
  'ul',
  'ver',
  'wyn',
];

/** Made-up names (villages, lens nicknames) that fill the long tail of rare words. */
function* syntheticNames(): Generator<string, void> {
  const n = SYLLABLES.length;
  for (let i = 0; ; i++) {
    // a stride coprime with n³ scatters neighbours, so consecutive ranks do not share prefixes
    const k = (i * 7919) % (n * n * n);
    const first = SYLLABLES[Math.floor(k / (n * n))] ?? '';
    const second = SYLLABLES[Math.floor(k / n) % n] ?? '';
    const third = SYLLABLES[k % n] ?? '';
    yield i < n * n * n ? first + second + third : first + second + third + (SYLLABLES[i % n] ?? '');
  }
}

const words = (text: string) => text.split(/\s+/).filter(Boolean);

export type Vocabulary = { words: string[]; commonWords: string[]; rareNames: string[] };

/** The ranked vocabulary: common words first, then the tail with rare names slotted in evenly. */
export function buildVocabulary(size = 20_000): Vocabulary {
  const common = [...new Set(words(COMMON_WORDS))];
  const rare = [...new Set(words(RARE_NAMES))];
  const tailSize = size - common.length;
  const every = Math.floor(tailSize / (rare.length + 1));
  const seen = new Set(common);
  const tail: string[] = [];
  const names = syntheticNames();
  let nextRare = 0;
  while (tail.length < tailSize) {
    const slotForRare = (tail.length + 1) % every === 0 && nextRare < rare.length;
    const word = slotForRare ? (rare[nextRare++] ?? '') : (names.next().value ?? '');
    if (seen.has(word)) continue;
    seen.add(word);
    tail.push(word);
  }
  return { words: [...common, ...tail], commonWords: common, rareNames: rare };
}

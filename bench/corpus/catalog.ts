import type { ProductSpecs, ProductType } from '../../src/data/product-repository.js';
import { seededRandom, type Random } from './seeded-random.js';

// A synthetic but plausible catalog: ~20 brands with their real mounts, camera bodies and lenses
// with specs of the shapes the contract defines. Deterministic, so every seed builds the same one.

type Brand = { name: string; mounts: (string | null)[]; cameras: boolean; lenses: boolean; series: string[]; weight: number };

const BRANDS: Brand[] = [
  { name: 'Canon', mounts: ['RF', 'EF'], cameras: true, lenses: true, series: ['EOS R', 'EOS', 'PowerShot'], weight: 10 },
  { name: 'Nikon', mounts: ['Z', 'F'], cameras: true, lenses: true, series: ['Z', 'D', 'Zf'], weight: 9 },
  { name: 'Sony', mounts: ['E'], cameras: true, lenses: true, series: ['A7', 'A6', 'A1', 'ZV-E'], weight: 10 },
  { name: 'Fujifilm', mounts: ['X', 'GFX'], cameras: true, lenses: true, series: ['X-T', 'X-S', 'X-H', 'GFX'], weight: 8 },
  { name: 'Panasonic', mounts: ['L', 'Micro Four Thirds'], cameras: true, lenses: true, series: ['Lumix S', 'Lumix G', 'Lumix GH'], weight: 6 },
  { name: 'OM System', mounts: ['Micro Four Thirds'], cameras: true, lenses: true, series: ['OM-', 'OM-5', 'Tough TG-'], weight: 4 },
  { name: 'Leica', mounts: ['L', 'M'], cameras: true, lenses: true, series: ['SL', 'M', 'Q', 'CL'], weight: 3 },
  { name: 'Hasselblad', mounts: ['XCD'], cameras: true, lenses: true, series: ['X2D', 'X1D', '907X'], weight: 1 },
  { name: 'Pentax', mounts: ['K'], cameras: true, lenses: true, series: ['K-', 'KF', 'K-3'], weight: 2 },
  { name: 'Ricoh', mounts: [null], cameras: true, lenses: false, series: ['GR', 'GR III', 'Theta'], weight: 1 },
  { name: 'Blackmagic', mounts: ['L', 'EF'], cameras: true, lenses: false, series: ['Cinema Camera', 'Pocket'], weight: 1 },
  { name: 'Sigma', mounts: ['L', 'E', 'RF', 'X'], cameras: true, lenses: true, series: ['fp', 'Art', 'Contemporary', 'Sports'], weight: 6 },
  { name: 'Tamron', mounts: ['E', 'Z', 'X'], cameras: false, lenses: true, series: ['Di III', 'Di III-A', 'VXD'], weight: 5 },
  { name: 'Samyang', mounts: ['E', 'RF', 'X', 'Z'], cameras: false, lenses: true, series: ['AF', 'MF', 'V-AF'], weight: 3 },
  { name: 'Viltrox', mounts: ['X', 'E', 'Z'], cameras: false, lenses: true, series: ['AF', 'Pro', 'Air'], weight: 3 },
  { name: 'Voigtlander', mounts: ['M', 'E', 'X', 'Z'], cameras: false, lenses: true, series: ['Nokton', 'Ultron', 'Apo-Lanthar', 'Color-Skopar'], weight: 2 },
  { name: 'Zeiss', mounts: ['E', 'F', 'EF'], cameras: false, lenses: true, series: ['Batis', 'Loxia', 'Milvus', 'Otus'], weight: 2 },
  { name: 'Tokina', mounts: ['E', 'X', 'F'], cameras: false, lenses: true, series: ['atx-m', 'atx-i', 'SZ'], weight: 1 },
  { name: 'Laowa', mounts: ['E', 'RF', 'Z', 'L'], cameras: false, lenses: true, series: ['Argus', 'Zero-D', 'Probe'], weight: 1 },
  { name: 'TTArtisan', mounts: ['X', 'E', 'M', 'Z'], cameras: false, lenses: true, series: ['AF', 'APS-C', 'Tilt'], weight: 1 },
];

const SENSOR_BY_MOUNT: Record<string, string> = {
  X: 'APS-C',
  GFX: 'medium format',
  XCD: 'medium format',
  'Micro Four Thirds': 'Micro Four Thirds',
  K: 'APS-C',
};
const FOCALS: [number, number][] = [
  [14, 14],
  [16, 35],
  [20, 20],
  [24, 24],
  [24, 70],
  [24, 105],
  [28, 28],
  [35, 35],
  [50, 50],
  [70, 200],
  [85, 85],
  [90, 90],
  [100, 400],
  [105, 105],
  [135, 135],
  [150, 600],
  [200, 600],
];
const APERTURES = [0.95, 1.2, 1.4, 1.8, 2, 2.8, 4, 5.6];
const VIDEO = ['1080p60', '4K30p', '4K60p', '4K120p', '6K30p', '6.2K30p', '8K30p'];

export type CatalogProduct = { type: ProductType; brand: string; model: string; mount: string | null; released_year: number; specs: ProductSpecs };

export function buildCatalog(count: number): CatalogProduct[] {
  const random = seededRandom(1_000_003);
  const totalWeight = BRANDS.reduce((sum, b) => sum + b.weight, 0);
  const products: CatalogProduct[] = [];
  const taken = new Set<string>();
  for (let i = 0; products.length < count; i++) {
    const brand = pickWeighted(random, totalWeight);
    const type: ProductType = brand.cameras && (!brand.lenses || random() < 0.3) ? 'camera' : 'lens';
    const mount = pick(random, brand.mounts);
    const product = type === 'camera' ? camera(random, brand, mount) : lens(random, brand, mount);
    // a generation suffix keeps (brand, model) unique, as the products table demands
    let model = product.model;
    for (let generation = 2; taken.has(`${brand.name}|${model}`.toLowerCase()); generation++) model = `${product.model} Mark ${generation}`;
    taken.add(`${brand.name}|${model}`.toLowerCase());
    products.push({ ...product, model });
  }
  return products;
}

function camera(random: Random, brand: Brand, mount: string | null): CatalogProduct {
  const sensor = (mount && SENSOR_BY_MOUNT[mount]) ?? (random() < 0.6 ? 'full-frame' : 'APS-C');
  return {
    type: 'camera',
    brand: brand.name,
    mount,
    released_year: 2012 + Math.floor(random() * 14),
    model: cameraModel(pick(random, brand.series), 1 + Math.floor(random() * 98)),
    specs: {
      sensor_format: sensor,
      resolution_mp: Math.round((16 + random() * 46) * 10) / 10,
      ibis: random() < 0.7,
      max_video: pick(random, VIDEO),
      iso_max: pick(random, [25600, 51200, 102400, 204800, 409600]),
      burst_fps: pick(random, [5, 8, 10, 12, 15, 20, 30, 40, 120]),
      weather_sealed: random() < 0.6,
      weight_g: Math.round(250 + random() * 900),
    },
  };
}

// "OM-" + 5 reads "OM-5"; "EOS R" + 5 reads "EOS R 5"
function cameraModel(series: string, number: number): string {
  return series.endsWith('-') ? `${series}${number}` : `${series} ${number}`;
}

function lens(random: Random, brand: Brand, mount: string | null): CatalogProduct {
  const [min, max] = pick(random, FOCALS);
  const aperture = pick(random, APERTURES);
  const focal = min === max ? `${min}mm` : `${min}-${max}mm`;
  return {
    type: 'lens',
    brand: brand.name,
    mount,
    released_year: 2008 + Math.floor(random() * 18),
    model: `${focal} F${aperture} ${pick(random, brand.series)}`,
    specs: {
      sensor_format: (mount && SENSOR_BY_MOUNT[mount]) ?? 'full-frame',
      focal_length_min_mm: min,
      focal_length_max_mm: max,
      max_aperture: aperture,
      optical_stabilization: max >= 100 && random() < 0.7,
      weather_sealed: random() < 0.5,
      weight_g: Math.round(150 + (max / 600) * 2500 * (0.5 + random())),
    },
  };
}

function pickWeighted(random: Random, totalWeight: number): Brand {
  let r = random() * totalWeight;
  for (const brand of BRANDS) {
    r -= brand.weight;
    if (r < 0) return brand;
  }
  return BRANDS[0] as Brand;
}

function pick<T>(random: Random, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)] as T;
}

const FIRST = [
  'Valentina',
  'Mateo',
  'Camila',
  'Aiko',
  'Lars',
  'Amara',
  'Diego',
  'Ingrid',
  'Kwame',
  'Priya',
  'Tomas',
  'Yara',
  'Nikolai',
  'Lucia',
  'Omar',
  'Freya',
  'Hugo',
  'Mei',
  'Rafael',
  'Sofia',
];
const LAST = [
  'Rojas',
  'Silva',
  'Ferreira',
  'Tanaka',
  'Nilsson',
  'Okafor',
  'Moreno',
  'Berg',
  'Mensah',
  'Iyer',
  'Novak',
  'Haddad',
  'Petrov',
  'Costa',
  'Farouk',
  'Larsen',
  'Duval',
  'Chen',
  'Alves',
  'Romano',
];

export type CatalogEditor = { email: string; display_name: string };

export function buildEditors(count: number): CatalogEditor[] {
  return Array.from({ length: count }, (_, i) => {
    const first = FIRST[i % FIRST.length] ?? 'Editor';
    const last = LAST[(i * 7 + Math.floor(i / LAST.length)) % LAST.length] ?? String(i);
    return { email: `${first}.${last}.${i}@bench.randomcamerareviews.example`.toLowerCase(), display_name: `${first} ${last}` };
  });
}

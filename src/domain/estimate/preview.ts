import { expectedExtraction, type ExtractionOutputRule } from '../extraction/extraction.js';
import { outputQuality, QUALITY_BAND_MIDPOINTS, type QualityBand } from '../quality/quality.js';

/** The spec's ceiling on a previewed quantity (PreviewOutput.quantity). */
const MAX_PREVIEW_QUANTITY = 1_000_000;

export interface PreviewRecipe {
  recipeType: string;
  outputs?: readonly { itemTemplateCode: string; quantity: number; qualityInfluence: number }[] | null;
  extractionOutputs?: readonly ExtractionOutputRule[] | null;
}

export interface PreviewOutput {
  itemTemplateCode: string;
  quantity: number;
  /** Null when the output carries no quality (extracted materials). */
  quality: number | null;
  /** Null = always produced. */
  probability: number | null;
}

export interface PreviewBand {
  qualityLevel: QualityBand;
  qualityValue: number;
  outputs: PreviewOutput[];
}

const BANDS: QualityBand[] = ['low', 'medium', 'high'];

/**
 * What a recipe produces at each quality band, evaluated at the band's midpoint
 * (QUALITY_BAND_MIDPOINTS: 0.2, 0.55, 0.85), with the functions a completion uses:
 * - production: every output with its quantity and `outputQuality(q, qualityInfluence)`;
 * - extraction: `expectedExtraction(rules, q)`: the quantity an output yields when it is
 *   produced (base x (0.5 + q), before rounding and variance) and its chance, quality null
 *   (extracted components carry none);
 * - modification and any other type: no outputs (a modification changes its target item).
 */
export function outputPreview(recipe: PreviewRecipe): PreviewBand[] {
  return BANDS.map((band) => {
    const q = QUALITY_BAND_MIDPOINTS[band];
    return { qualityLevel: band, qualityValue: q, outputs: outputsAt(recipe, q) };
  });
}

function outputsAt(recipe: PreviewRecipe, q: number): PreviewOutput[] {
  switch (recipe.recipeType) {
    case 'production':
      return (recipe.outputs ?? []).map((o) => ({
        itemTemplateCode: o.itemTemplateCode,
        quantity: o.quantity,
        quality: outputQuality(q, o.qualityInfluence),
        probability: null,
      }));
    case 'extraction':
      return expectedExtraction(recipe.extractionOutputs ?? [], q).map((o) => ({
        itemTemplateCode: o.itemTemplateCode,
        quantity: Math.min(MAX_PREVIEW_QUANTITY, o.quantity),
        quality: null,
        probability: o.probability,
      }));
    default:
      return [];
  }
}

import { extractionChances, type ExtractionOutputRule } from '../extraction/extraction.js';
import { outputQuality, QUALITY_BAND_MIDPOINTS, roundQuality, type QualityBand } from '../quality/quality.js';

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
  /** Extraction: the highest quantity of a range of quantities this entry covers; null = exactly `quantity`. */
  maxQuantity: number | null;
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
 * - extraction: for each output, every whole quantity a session can yield with its chance
 *   (`extractionChances`: the rule `rollExtraction` rolls by, worked out exactly; wide
 *   variances grouped into ranges), quality null (extracted components carry none);
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
        maxQuantity: null,
        quality: roundQuality(outputQuality(q, o.qualityInfluence)),
        probability: null,
      }));
    case 'extraction':
      return (recipe.extractionOutputs ?? []).flatMap((rule) =>
        extractionChances(rule, q).map((c) => ({
          itemTemplateCode: rule.itemTemplateCode,
          quantity: Math.min(MAX_PREVIEW_QUANTITY, c.quantity),
          maxQuantity: c.maxQuantity === null ? null : Math.min(MAX_PREVIEW_QUANTITY, c.maxQuantity),
          quality: null,
          probability: roundQuality(c.probability),
        })),
      );
    default:
      return [];
  }
}

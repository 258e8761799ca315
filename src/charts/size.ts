export interface ChartSize {
  /** CSS pixels; the PNG has DEVICE_PIXEL_RATIO times as many. */
  width: number;
  height: number;
}

export const DEFAULT_CHART_SIZE: ChartSize = { width: 800, height: 500 };

/** Twice the pixels keeps text sharp when Discord scales the picture or a reader zooms in. */
export const DEVICE_PIXEL_RATIO = 2;

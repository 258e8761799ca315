import type { ChartOptions, ChartType, FontSpec } from 'chart.js';

/**
 * The look shared by every chart: one place for fonts, colours and titles, so all charts read
 * alike in Discord. Everything here is plain data, because configs must survive JSON for QuickChart.
 */

/** Pretendard covers Hangul and Latin; the local renderer registers it under this name. */
export const FONT_FAMILY = 'Pretendard, sans-serif';

export const TEXT_COLOR = '#212529';
export const MUTED_TEXT_COLOR = '#495057';
export const GRID_COLOR = '#dee2e6';
/** Painted behind every chart: a transparent PNG is unreadable in Discord's dark theme. */
export const BACKGROUND_COLOR = '#ffffff';

export const LOSS_COLOR = '#e8590c';
export const ACCURACY_COLOR = '#1971c2';
export const MARKER_COLOR = '#495057';
export const BAR_COLOR = '#4dabf7';
export const HIGHLIGHT_COLOR = '#1864ab';
export const MUTED_BAR_COLOR = '#ced4da';
/** Draws the eye to what needs attention, e.g. the class the model gets wrong most. */
export const ATTENTION_COLOR = '#f76707';
/** Dashes that mark validation curves (training curves are solid). */
export const VALIDATION_DASH = [8, 5];

/** Ten colours a reader can tell apart (Tableau 10), for overlaying several runs. */
export const RUN_COLORS = [
  '#4e79a7', '#f28e2b', '#e15759', '#76b7b2', '#59a14f',
  '#edc948', '#b07aa1', '#ff9da7', '#9c755f', '#bab0ac',
];

export function font(size: number, weight: FontSpec['weight'] = 'normal'): Partial<FontSpec> {
  return { family: FONT_FAMILY, size, weight };
}

/** Words at the top of a chart, in the reader's language. */
export interface ChartTitleText {
  title: string;
  /** A second, smaller line, e.g. which run and settings the chart shows. */
  subtitle?: string;
}

/** Title, subtitle and legend settings every chart shares. */
export function titlePlugins(text: ChartTitleText, showLegend: boolean) {
  return {
    title: { display: true, text: text.title, color: TEXT_COLOR, font: font(22, 'bold'), padding: { top: 4, bottom: 4 } },
    subtitle: {
      display: text.subtitle !== undefined,
      text: text.subtitle ?? '',
      color: MUTED_TEXT_COLOR,
      font: font(15),
      padding: { bottom: 8 },
    },
    legend: {
      display: showLegend,
      position: 'bottom' as const,
      // Each legend box is outlined like its curve: solid for training, dashed for validation.
      labels: { color: TEXT_COLOR, font: font(15), boxWidth: 36, boxHeight: 12, padding: 18 },
    },
    tooltip: { enabled: false },
  };
}

/** Options every chart shares: a still picture, not an animated page. */
export function baseOptions<T extends ChartType>(): ChartOptions<T> {
  return {
    animation: false,
    responsive: false,
    maintainAspectRatio: false,
    color: TEXT_COLOR,
    layout: { padding: 12 },
  } as ChartOptions<T>;
}

/** An axis title in the shared style. */
export function axisTitle(text: string) {
  return { display: true, text, color: TEXT_COLOR, font: font(16, 'bold') };
}

/** Tick labels in the shared style. */
export function ticks(size = 14) {
  return { color: TEXT_COLOR, font: font(size) };
}

/** 0.8734 -> 87.34: charts show accuracy and probability in percent, which students read easily. */
export function toPercent(fraction: number): number {
  return Math.round(fraction * 10000) / 100;
}

/** 0.8734 -> "87.3%" for labels. */
export function formatPercent(fraction: number): string {
  return `${(fraction * 100).toFixed(1)}%`;
}

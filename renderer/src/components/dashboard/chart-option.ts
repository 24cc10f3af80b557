/**
 * The ECharts option of a dashboard chart from its figures (core/dashboard) and its words (already
 * translated by the page). No DOM: what the canvas draws is decided here, and tested in Node.
 */
import type { ChartKind } from '@core/dashboard/charts'
import type { ChartFigures } from '@core/dashboard/dashboard'

export interface ChartWords {
  /** The label of each segment, in order. */
  names: string[]
  /** A segment's figure as shown (¥12,345.67, 3 单). */
  value: (v: number) => string
  /** The tooltip line of a segment (a stage's customers and conversion). */
  tip?: (i: number) => string
  /** Two bars per segment (`versus`): the names of the forecast and of the actual series. */
  series?: [string, string]
  /** The UI language: axis money in 万 (zh) or k (en). */
  lang: 'zh' | 'en'
}

const PRIMARY = '#409eff'
const DANGER = '#f56c6c'
const FUNNEL = ['#1d4ed8', '#2563eb', '#3b82f6', '#60a5fa', '#93c5fd']

/** The option for `figures` drawn as `kind`; `alarm` colours a segment red (late, overdue). */
export function chartOption(kind: ChartKind, figures: ChartFigures, words: ChartWords, alarm?: (key: string) => boolean): Record<string, unknown> {
  const tooltip = {
    trigger: 'item', confine: true,
    formatter: (p: { dataIndex: number }) => words.tip?.(p.dataIndex) ?? `${words.names[p.dataIndex]}：${words.value(figures.segments[p.dataIndex]!.value)}`,
  }
  const colour = (key: string) => (alarm?.(key) ? DANGER : PRIMARY)
  if (kind === 'funnel') {
    const max = Math.max(1, ...figures.segments.map((s) => s.value))
    return {
      animation: false, tooltip,
      series: [{
        type: 'funnel', sort: 'none', left: 8, right: 8, top: 6, bottom: 6, min: 0, max, minSize: '18%', gap: 2,
        label: { position: 'inside', color: '#fff', fontSize: 12, formatter: (p: { dataIndex: number }) => `${words.names[p.dataIndex]}  ${words.value(figures.segments[p.dataIndex]!.value)}` },
        data: figures.segments.map((s, i) => ({ name: words.names[i], value: s.value, itemStyle: { color: FUNNEL[i % FUNNEL.length] } })),
      }],
    }
  }
  if (kind === 'versus') {
    // The forecast (light) beside what happened (the segment's value), one pair per segment.
    const category = { type: 'category', data: words.names, axisTick: { show: false }, axisLabel: { fontSize: 11, interval: 0 } }
    const amount = { type: 'value', axisLabel: { fontSize: 10, formatter: (v: number) => compact(v, figures.unit, words.lang) }, splitLine: { lineStyle: { color: '#eef0f3' } } }
    return {
      animation: false,
      tooltip: { trigger: 'axis', confine: true, axisPointer: { type: 'shadow' }, formatter: (ps: Array<{ dataIndex: number }>) => { const i = ps[0]?.dataIndex ?? 0; return words.tip?.(i) ?? `${words.names[i]}：${words.value(figures.segments[i]!.value)}` } },
      legend: { top: 0, right: 4, itemWidth: 10, itemHeight: 8, textStyle: { fontSize: 11 }, data: [words.series?.[0] ?? '', words.series?.[1] ?? ''] },
      grid: { left: 48, right: 8, top: 24, bottom: 22 },
      xAxis: category, yAxis: amount,
      series: [
        { type: 'bar', name: words.series?.[0] ?? '', barGap: '10%', barMaxWidth: 14, itemStyle: { color: '#c6d9f5' }, data: figures.segments.map((s) => s.forecast ?? 0) },
        { type: 'bar', name: words.series?.[1] ?? '', barMaxWidth: 14, itemStyle: { color: PRIMARY }, data: figures.segments.map((s) => s.value) },
      ],
    }
  }
  const rank = kind === 'rank'
  const category = { type: 'category', data: words.names, axisTick: { show: false }, axisLabel: { fontSize: 11, interval: 0, width: rank ? 120 : 80, overflow: 'truncate' }, inverse: rank }
  const amount = { type: 'value', minInterval: figures.unit === 'count' ? 1 : 0, axisLabel: { fontSize: 10, formatter: (v: number) => compact(v, figures.unit, words.lang) }, splitLine: { lineStyle: { color: '#eef0f3' } } }
  return {
    animation: false, tooltip,
    grid: rank ? { left: 128, right: 48, top: 8, bottom: 22 } : { left: 48, right: 12, top: 18, bottom: 26 },
    xAxis: rank ? amount : category,
    yAxis: rank ? category : amount,
    series: [{
      type: 'bar', barMaxWidth: 36,
      label: { show: true, position: rank ? 'right' : 'top', fontSize: 11, formatter: (p: { value: number }) => (p.value ? compact(p.value, figures.unit, words.lang) : '') },
      data: figures.segments.map((s) => ({ value: s.value, itemStyle: { color: colour(s.key) } })),
    }],
  }
}

/** An axis figure: counts as they are; fen as whole yuan, in 万 (zh) or k (en) from ten thousand yuan. */
export function compact(v: number, unit: ChartFigures['unit'], lang: 'zh' | 'en' = 'zh'): string {
  if (unit === 'count') return String(v)
  const yuan = v / 100
  if (Math.abs(yuan) < 10_000) return yuan.toFixed(0)
  if (lang === 'en') return `${(yuan / 1000).toFixed(0)}k`
  return `${(yuan / 10_000).toFixed(Math.abs(yuan) >= 1_000_000 ? 0 : 1)}万`
}

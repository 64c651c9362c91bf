import { type Report, type Translate } from './reportModel'
import {
  type Cell,
  type ReportChart,
  type ReportTable,
  formatCell,
  formatPeriod,
  reportCharts,
  reportTables,
} from './reportTables'

/** Escapes text for HTML and SVG: every value in the report may be user-entered. */
export function escapeHtml(value: string): string {
  return value
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;')
}

const isNumeric = (cell: Cell) => cell.kind !== 'text' && cell.kind !== 'date' && cell.kind !== 'month'

/** A chart as inline SVG: no script, no external file, so it works in a saved file and under the app's CSP. */
export function chartSvg(chart: ReportChart): string {
  const width = 640
  const max = Math.max(1, ...chart.series.flatMap((s) => s.values))
  const legend = chart.series
    .map(
      (s, i) =>
        `<g transform="translate(${10 + i * 180},0)"><rect width="12" height="12" y="2" fill="${s.color}"/><text x="18" y="12" font-size="12">${escapeHtml(s.label)}</text></g>`,
    )
    .join('')
  if (chart.kind === 'hbars') {
    const labelWidth = 230
    const barHeight = 14
    const groupHeight = chart.series.length * barHeight + 10
    const height = 24 + chart.categories.length * groupHeight
    const scale = (width - labelWidth - 60) / max
    const groups = chart.categories
      .map((category, ci) => {
        const y = 24 + ci * groupHeight
        const bars = chart.series
          .map((s, si) => {
            const v = s.values[ci] ?? 0
            const w = Math.max(v > 0 ? 1 : 0, v * scale)
            const by = y + si * barHeight
            return `<rect x="${labelWidth}" y="${by}" width="${w.toFixed(1)}" height="${barHeight - 2}" fill="${s.color}"/><text x="${(labelWidth + w + 4).toFixed(1)}" y="${by + barHeight - 4}" font-size="11">${v}</text>`
          })
          .join('')
        return `<text x="${labelWidth - 6}" y="${y + groupHeight / 2}" font-size="12" text-anchor="end">${escapeHtml(category)}</text>${bars}`
      })
      .join('')
    return `<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="${escapeHtml(chart.title)}" viewBox="0 0 ${width} ${height}" width="100%" style="max-width:${width}px">${legend}${groups}</svg>`
  }
  const height = 240
  const top = 30
  const bottom = 30
  const plot = height - top - bottom
  const groupWidth = (width - 40) / Math.max(1, chart.categories.length)
  const barWidth = Math.min(28, (groupWidth - 12) / chart.series.length)
  const groups = chart.categories
    .map((category, ci) => {
      const x0 = 40 + ci * groupWidth + (groupWidth - barWidth * chart.series.length) / 2
      const bars = chart.series
        .map((s, si) => {
          const v = s.values[ci] ?? 0
          const h = (v / max) * plot
          const x = x0 + si * barWidth
          return `<rect x="${x.toFixed(1)}" y="${(top + plot - h).toFixed(1)}" width="${(barWidth - 2).toFixed(1)}" height="${h.toFixed(1)}" fill="${s.color}"/><text x="${(x + barWidth / 2 - 1).toFixed(1)}" y="${(top + plot - h - 3).toFixed(1)}" font-size="10" text-anchor="middle">${v}</text>`
        })
        .join('')
      return `${bars}<text x="${(40 + ci * groupWidth + groupWidth / 2).toFixed(1)}" y="${height - 10}" font-size="11" text-anchor="middle">${escapeHtml(category)}</text>`
    })
    .join('')
  const axis = `<line x1="38" y1="${top + plot}" x2="${width}" y2="${top + plot}" stroke="#888"/>`
  return `<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="${escapeHtml(chart.title)}" viewBox="0 0 ${width} ${height}" width="100%" style="max-width:${width}px">${legend}${axis}${groups}</svg>`
}

function tableHtml(table: ReportTable, report: Report, t: Translate): string {
  const isNumericColumn = (key: string, kind: string) =>
    key === 'value' || (kind !== 'text' && kind !== 'date' && kind !== 'month')
  const head = table.columns
    .map((c) => `<th scope="col"${isNumericColumn(c.key, c.kind) ? ' class="num"' : ''}>${escapeHtml(c.label)}</th>`)
    .join('')
  const body =
    table.rows.length === 0
      ? `<tr><td colspan="${table.columns.length}" class="empty">${escapeHtml(t('report:empty'))}</td></tr>`
      : table.rows
          .map((row) => {
            const keyAttr = row.key ? ` data-key="${escapeHtml(row.key)}"` : ''
            const cells = row.cells
              .map((cell, i) => {
                const text = escapeHtml(formatCell(cell, report.locale, t))
                const value = cell.value === null ? '' : escapeHtml(String(cell.value))
                const cls = isNumeric(cell) ? ' class="num"' : ''
                return i === 0
                  ? `<th scope="row"${cls} data-value="${value}">${text}</th>`
                  : `<td${cls} data-value="${value}">${text}</td>`
              })
              .join('')
            return `<tr${keyAttr}>${cells}</tr>`
          })
          .join('')
  const note = table.note ? `<p class="note">${escapeHtml(table.note)}</p>` : ''
  return `<section class="report-section" data-section="${table.id}"><table><caption>${escapeHtml(table.title)}</caption><thead><tr>${head}</tr></thead><tbody>${body}</tbody></table>${note}</section>`
}

/** Styles scoped to `.report-doc`, shared by the saved HTML file and the Reports screen. */
export const reportCss = `
.report-doc{font-family:"Noto Sans","Noto Sans CJK SC","Noto Sans SC","PingFang SC","Microsoft YaHei",system-ui,sans-serif;color:#1d2733;line-height:1.4}
.report-doc header.report-head{border-bottom:2px solid #1f5f99;margin-bottom:1rem;padding-bottom:.5rem}
.report-doc .report-business{font-size:1.5rem;font-weight:700;margin:0}
.report-doc .report-title{font-size:1.15rem;margin:.2rem 0;color:#1f5f99}
.report-doc .report-period,.report-doc .report-generated{margin:0;color:#4a5866}
.report-doc .report-charts{display:grid;grid-template-columns:repeat(auto-fit,minmax(440px,1fr));gap:1rem;margin:1rem 0}
.report-doc figure{margin:0;border:1px solid #d5dde5;border-radius:6px;padding:.5rem}
.report-doc figcaption{font-weight:600;margin-bottom:.3rem}
.report-doc .report-section{break-inside:auto;margin:1rem 0}
.report-doc table{border-collapse:collapse;width:100%;font-size:.9rem}
.report-doc caption{text-align:left;font-weight:700;font-size:1.05rem;padding:.3rem 0}
.report-doc th,.report-doc td{border-bottom:1px solid #d5dde5;padding:.25rem .5rem;text-align:left;vertical-align:top}
.report-doc thead th{background:#eef3f8}
.report-doc tbody th{font-weight:400}
.report-doc .num{text-align:right;font-variant-numeric:tabular-nums}
.report-doc .note{font-size:.8rem;color:#4a5866;margin:.2rem 0}
.report-doc .empty{color:#6b7785;font-style:italic}
@media print{.report-doc tr{break-inside:avoid}.report-doc thead{display:table-header-group}}
`

/** The report's body (header, charts, tables): the same markup on screen and in the saved file. */
export function reportBodyHtml(report: Report, t: Translate): string {
  const generated = formatCell({ kind: 'date', value: report.generatedAt }, report.locale, t)
  const charts = reportCharts(report, t)
    .map((c) => `<figure data-chart="${c.id}"><figcaption>${escapeHtml(c.title)}</figcaption>${chartSvg(c)}</figure>`)
    .join('')
  const tables = reportTables(report, t)
    .map((table) => tableHtml(table, report, t))
    .join('')
  return `<div class="report-doc" lang="${report.locale}"><header class="report-head"><p class="report-business">${escapeHtml(report.businessName || t('report:noBusinessName'))}</p><h1 class="report-title">${escapeHtml(t('report:title'))}</h1><p class="report-period">${escapeHtml(formatPeriod(report, t))}</p><p class="report-generated">${escapeHtml(t('insights:amountsIn', { currency: report.currency }))}</p><p class="report-generated">${escapeHtml(t('report:generated', { when: generated }))}</p></header><div class="report-charts">${charts}</div>${tables}</div>`
}

/** One self-contained HTML file: inline CSS and SVG, no script, the JSON model embedded for machines. */
export function renderReportHtml(report: Report, t: Translate): string {
  const title = `${report.businessName ? `${report.businessName} — ` : ''}${t('report:title')} ${formatPeriod(report, t)}`
  const json = JSON.stringify(report).replace(/</g, '\\u003c')
  return `<!doctype html>
<html lang="${report.locale}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>body{margin:2rem auto;max-width:60rem;padding:0 1rem}${reportCss}</style>
</head>
<body>
${reportBodyHtml(report, t)}
<script type="application/json" id="report-data">${json}</script>
</body>
</html>
`
}

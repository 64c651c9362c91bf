import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { Choice, asOptions } from '../components/Choice'
import { type IcebergView as IcebergData } from '../../../shared/iceberg/contract'
import { icebergReference } from '../../../shared/iceberg/iceberg'
import { monthOf } from '../../../shared/core/months'
import { type Settings } from '../../../shared/schemas'
import { categoryLabel } from '../../../shared/cases/categoryLabel'
import { categoryOptions } from '../components/labels'
import { useApi, useErrorText } from '../hooks'
import { IcebergSubnav } from './IcebergSubnav'

const layers = ['formal', 'grumbles', 'silent'] as const
type Layer = (typeof layers)[number]
const layerColours: Record<Layer, string> = { formal: '#f4f8fb', grumbles: '#7fb3d5', silent: '#1f4e79' }

export function IcebergView({ settings }: { settings: Settings }) {
  const { t } = useTranslation()
  const info = useApi('app:info', {})
  const errorText = useErrorText()
  const currentMonth = info.data ? monthOf(info.data.now) : undefined
  const [query, setQuery] = useState<{ from?: string; to?: string; category: string; department: string }>({
    category: '',
    department: '',
  })
  const from = query.from ?? currentMonth ?? ''
  const to = query.to ?? currentMonth ?? ''
  const iceberg = useApi('iceberg:get', {
    from: from || '2000-01',
    to: to || '2000-01',
    ...(query.category ? { category: query.category } : {}),
    ...(query.department ? { department: query.department } : {}),
  })
  const data = from && to ? iceberg.data : undefined

  return (
    <section aria-labelledby="iceberg-title" className="iceberg-view">
      <h1 id="iceberg-title">{t('iceberg:iceberg.title')}</h1>
      <IcebergSubnav current="iceberg" />
      <div className="filters" role="search">
        {(['from', 'to'] as const).map((end) => (
          <label key={end}>
            {t(`iceberg:iceberg.${end}`)}
            <input
              type="month"
              value={end === 'from' ? from : to}
              onChange={(e) => e.target.value && setQuery((q) => ({ ...q, [end]: e.target.value }))}
            />
          </label>
        ))}
        <label>
          {t('iceberg:iceberg.category')}
          <Choice
            value={query.category}
            onChange={(value) => setQuery((q) => ({ ...q, category: value }))}
            options={categoryOptions(t, settings.categories, { isArchivedIncluded: true })}
            emptyLabel={t('iceberg:iceberg.any')}
          />
        </label>
        <label>
          {t('iceberg:iceberg.department')}
          <Choice
            value={query.department}
            onChange={(value) => setQuery((q) => ({ ...q, department: value }))}
            options={asOptions(settings.departments)}
            emptyLabel={t('iceberg:iceberg.any')}
          />
        </label>
      </div>
      {iceberg.error ? <p role="alert">{errorText(iceberg.error)}</p> : null}
      {!data ? (
        <p>{t('app.loading')}</p>
      ) : (
        <IcebergBody data={data} settings={settings} isFiltered={Boolean(query.category || query.department)} />
      )}
    </section>
  )
}

function IcebergBody({ data, settings, isFiltered }: { data: IcebergData; settings: Settings; isFiltered: boolean }) {
  const { t } = useTranslation()
  const { counts, estimates: e } = data
  const shares = e.observedShares
  const percent = (value: number) => t('iceberg:percent', { value })
  return (
    <>
      <div className="iceberg-columns">
        <div className="card">
          <IcebergPicture counts={counts} shares={shares} />
        </div>
        <div className="card">
          <table className="layers">
            <caption className="sr-only">{t('iceberg:iceberg.layers')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('iceberg:iceberg.layers')}</th>
                <th scope="col">{t('iceberg:iceberg.count')}</th>
                <th scope="col">{t('iceberg:iceberg.observed')}</th>
                <th scope="col">{t('iceberg:iceberg.reference')}</th>
              </tr>
            </thead>
            <tbody>
              {layers.map((layer) => (
                <tr key={layer}>
                  <th scope="row">
                    <span className="swatch" style={{ background: layerColours[layer] }} aria-hidden="true" />
                    {t(`iceberg:layer.${layer}`)}
                  </th>
                  <td className="num">{counts[layer]}</td>
                  <td className="num">{shares ? percent(shares[layer]) : '—'}</td>
                  <td className="num">{percent(icebergReference[layer])}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <p>
            {counts.total === 0
              ? t('iceberg:iceberg.nothing')
              : counts.formal > 0
                ? t('iceberg:iceberg.ownRatio', {
                    grumbles: counts.grumbles / counts.formal,
                    silent: counts.silent / counts.formal,
                  })
                : t('iceberg:iceberg.ownRatioNoFormal', counts)}
          </p>
          <p className="muted small">{t('iceberg:ruleOfThumb')}</p>
          {isFiltered ? <p className="muted small">{t('iceberg:iceberg.silentNoCategory')}</p> : null}
        </div>
      </div>

      <section className="card" aria-labelledby="estimates-title">
        <h2 id="estimates-title">{t('iceberg:estimate.title')}</h2>
        {e.estimatedTotal === null ? (
          <p>{t('iceberg:estimate.noFormal')}</p>
        ) : (
          <ul className="estimates">
            <li>{t('iceberg:estimate.total', { formal: counts.formal, total: e.estimatedTotal })}</li>
            <li>{t('iceberg:estimate.grumbles', { total: e.estimatedTotal, expected: e.expectedGrumbles })}</li>
            <li>
              <strong>
                {t('iceberg:estimate.capture', {
                  logged: counts.grumbles,
                  expected: e.expectedGrumbles,
                  rate: e.grumbleCaptureRate,
                })}
              </strong>
            </li>
            <li>
              {t('iceberg:estimate.silent', {
                total: e.estimatedTotal,
                expected: e.expectedSilent,
                detected: counts.silent,
              })}
            </li>
            <li>{t('iceberg:estimate.unseen', { unseen: e.unseen, recorded: counts.total })}</li>
          </ul>
        )}
        <p className="note">{t('iceberg:estimate.notReward')}</p>
      </section>

      <section className="card" aria-labelledby="trend-title">
        <h2 id="trend-title">{t('iceberg:iceberg.trend')}</h2>
        <TrendChart trend={data.trend} />
      </section>

      <section className="card" aria-labelledby="hidden-title">
        <h2 id="hidden-title">{t('iceberg:iceberg.hidden')}</h2>
        <p className="muted small">{t('iceberg:iceberg.hiddenHint')}</p>
        {data.hiddenByCategory.length === 0 ? (
          <p>{t('iceberg:iceberg.hiddenNone')}</p>
        ) : (
          <ol className="hidden-list" aria-labelledby="hidden-title">
            {data.hiddenByCategory.slice(0, 5).map((row) => (
              <li key={row.category}>
                <strong>{categoryLabel(t, settings.categories, row.category)}</strong>{' '}
                <span className="muted">
                  {t('iceberg:iceberg.hiddenRow', { ...row.counts, unseen: row.estimates.unseen })}
                </span>
              </li>
            ))}
          </ol>
        )}
      </section>
    </>
  )
}

/** Heights stacked from `start` downwards: each band starts where the one before it ended. */
function stack(heights: number[], start: number): { y: number; h: number }[] {
  return heights.map((h, i) => ({ y: start + heights.slice(0, i).reduce((sum, x) => sum + x, 0), h }))
}

/** The iceberg silhouette, clipped into three bands: the tip above the waterline, the rest below. */
const outline =
  'M150,8 L188,40 L205,34 L226,70 L262,96 L292,150 L300,230 L278,300 L232,350 L160,372 L92,352 L38,300 L10,220 L24,140 L64,92 L100,70 L118,30 Z'
const top = 8
const height = 364

function Silhouette({ shares, x, label }: { shares: Record<Layer, number> | null; x: number; label: string }) {
  const { t } = useTranslation()
  const clipId = `berg-${x}`
  const bands = stack(
    layers.map((layer) => (shares?.[layer] ?? 0) * height),
    top,
  ).map((band, i) => ({ ...band, layer: layers[i] ?? 'formal' }))
  const waterline = top + (shares?.formal ?? 0) * height
  return (
    <g transform={`translate(${x},0)`}>
      <clipPath id={clipId}>
        <path d={outline} />
      </clipPath>
      <g clipPath={`url(#${clipId})`}>
        {bands.map((b) => (
          <rect key={b.layer} x={0} y={b.y} width={310} height={b.h} fill={layerColours[b.layer]} />
        ))}
      </g>
      <path d={outline} fill="none" stroke="#16324f" strokeWidth={2} />
      {shares ? (
        <>
          <line
            x1={-10}
            x2={320}
            y1={waterline}
            y2={waterline}
            stroke="#2b7bb9"
            strokeWidth={2}
            strokeDasharray="6 4"
          />
          <text x={316} y={waterline - 4} textAnchor="end" className="svg-small">
            {t('iceberg:iceberg.waterline')}
          </text>
        </>
      ) : null}
      <text x={150} y={400} textAnchor="middle" className="svg-label">
        {label}
      </text>
    </g>
  )
}

function IcebergPicture({ counts, shares }: { counts: IcebergData['counts']; shares: Record<Layer, number> | null }) {
  const { t } = useTranslation()
  return (
    <svg viewBox="-20 0 700 410" role="img" aria-label={t('iceberg:iceberg.picture', counts)} className="iceberg-svg">
      <rect x={-20} y={0} width={700} height={410} fill="#eaf4fb" />
      <Silhouette shares={icebergReference} x={0} label={`${t('iceberg:iceberg.reference')} 8 / 23 / 69`} />
      <Silhouette
        shares={shares}
        x={350}
        label={`${t('iceberg:iceberg.observed')} ${counts.formal} / ${counts.grumbles} / ${counts.silent}`}
      />
    </svg>
  )
}

function TrendChart({ trend }: { trend: IcebergData['trend'] }) {
  const { t } = useTranslation()
  const max = Math.max(1, ...trend.map((m) => m.total))
  const barWidth = 40
  const chartHeight = 160
  return (
    <>
      <svg
        viewBox={`0 0 ${trend.length * (barWidth + 14) + 10} ${chartHeight + 34}`}
        role="img"
        aria-label={t('iceberg:iceberg.trendChart')}
        className="trend-svg"
      >
        {trend.map((m, i) => {
          const order = ['formal', 'grumbles', 'silent'] as const
          const bars = stack(
            order.map((layer) => (m[layer] / max) * chartHeight),
            chartHeight - (m.total / max) * chartHeight,
          )
          return (
            <g key={m.month} transform={`translate(${10 + i * (barWidth + 14)},0)`}>
              {bars.map((bar, j) => (
                <rect
                  key={order[j]}
                  x={0}
                  y={bar.y}
                  width={barWidth}
                  height={bar.h}
                  fill={layerColours[order[j] ?? 'formal']}
                  stroke="#16324f"
                  strokeWidth={0.5}
                />
              ))}
              <text x={barWidth / 2} y={chartHeight + 14} textAnchor="middle" className="svg-small">
                {m.month.slice(2)}
              </text>
              <text x={barWidth / 2} y={chartHeight + 28} textAnchor="middle" className="svg-small">
                {m.total}
              </text>
            </g>
          )
        })}
      </svg>
      <table className="trend-table">
        <caption className="sr-only">{t('iceberg:iceberg.trendChart')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('iceberg:iceberg.month')}</th>
            {trend.map((m) => (
              <th key={m.month} scope="col">
                {m.month.slice(2)}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {layers.map((layer) => (
            <tr key={layer}>
              <th scope="row">
                <span className="swatch" style={{ background: layerColours[layer] }} aria-hidden="true" />
                {t(`iceberg:layer.${layer}`)}
              </th>
              {trend.map((m) => (
                <td key={m.month} className="num">
                  {m[layer]}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </>
  )
}

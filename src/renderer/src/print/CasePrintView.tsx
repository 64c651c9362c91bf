import { useTranslation } from 'react-i18next'
import { type CaseSheet, caseSheet } from '../../../shared/cases/caseSheet'
import { type Locale, type Settings } from '../../../shared/schemas'
import { formatDateTime } from '../format'
import { useApi, useErrorText } from '../hooks'
import { href } from '../router'
import './print.css'

function SheetTable({ head, rows }: { head: string[]; rows: string[][] }) {
  return (
    <table className="sheet-table">
      <thead>
        <tr>
          {head.map((label) => (
            <th key={label} scope="col">
              {label}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map((cells, i) => (
          <tr key={i}>
            {cells.map((cell, j) => (
              <td key={j}>{cell}</td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  )
}

function Sheet({ sheet }: { sheet: CaseSheet }) {
  const { labels } = sheet
  const col = labels.column
  return (
    <article className="case-sheet" aria-labelledby="sheet-title">
      <header>
        <p className="mono">{sheet.number}</p>
        <h1 id="sheet-title">{sheet.title}</h1>
        <p>{sheet.subtitle}</p>
        {sheet.closure ? <p>{sheet.closure}</p> : null}
      </header>
      <section aria-labelledby="sheet-facts">
        <h2 id="sheet-facts">{labels.facts}</h2>
        <dl className="sheet-facts">
          {sheet.facts.map(([label, value]) => (
            <div key={label}>
              <dt>{label}</dt>
              <dd>{value}</dd>
            </div>
          ))}
        </dl>
      </section>
      <section aria-labelledby="sheet-steps">
        <h2 id="sheet-steps">{labels.steps}</h2>
        <SheetTable
          head={[col.step, col.status, col.by, col.when, col.note]}
          rows={sheet.steps.map((s) => [s.step, s.status, s.by, s.at, s.note])}
        />
      </section>
      <section aria-labelledby="sheet-promises">
        <h2 id="sheet-promises">{labels.promises}</h2>
        {sheet.promises.length === 0 ? (
          <p>{labels.none}</p>
        ) : (
          <SheetTable
            head={[col.what, col.state, col.madeBy, col.due, col.note]}
            rows={sheet.promises.map((p) => [p.what, p.state, p.madeBy, p.due, p.note])}
          />
        )}
      </section>
      <section aria-labelledby="sheet-timeline">
        <h2 id="sheet-timeline">{labels.timeline}</h2>
        <SheetTable
          head={[col.when, col.by, col.change]}
          rows={sheet.timeline.map((line) => [line.at, line.by, line.text])}
        />
      </section>
    </article>
  )
}

/**
 * One case ready to print: only the sheet is printed (print.css hides the app around it), and
 * each case starts a page of its own. The browser's or desktop's own print dialog does the rest.
 */
export function CasePrintView({ id, settings }: { id: string; settings: Settings }) {
  const { t, i18n } = useTranslation()
  const errorText = useErrorText()
  const detail = useApi('cases:get', { id })
  const promises = useApi('promises:list', { caseId: id })
  const locale = i18n.language as Locale
  const error = detail.error ?? promises.error
  if (error) return <p role="alert">{errorText(error)}</p>
  if (!detail.data || !promises.data) return <p>{t('app.loading')}</p>
  const sheet = caseSheet(t, settings, detail.data, promises.data, (iso) => formatDateTime(iso, locale))
  return (
    <div className="case-print">
      <div className="print-toolbar no-print">
        <a href={href.case(id)}>{t('print:back')}</a>
        <p className="muted">{t('print:hint')}</p>
        <button type="button" className="primary" onClick={() => window.print()}>
          {t('print:now')}
        </button>
      </div>
      <Sheet sheet={sheet} />
    </div>
  )
}

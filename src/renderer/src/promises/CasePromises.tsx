import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import './promises.css'
import { type Settings } from '../../../shared/schemas'
import { useApi, useErrorText } from '../hooks'
import { PromiseDialog } from './PromiseDialog'
import { PromiseItem } from './PromiseItem'

/** The promises made on a case: button `Promise` and each promise with its state and actions. */
export function CasePromises({
  caseId,
  customerName,
  settings,
}: {
  caseId: string
  customerName: string
  settings: Settings
}) {
  const { t } = useTranslation()
  const errorText = useErrorText()
  const promises = useApi('promises:list', { caseId })
  const [isMaking, setIsMaking] = useState(false)

  return (
    <section aria-labelledby="promises-title" className="card">
      <div className="card-head">
        <h2 id="promises-title">{t('promises:section')}</h2>
        <button type="button" onClick={() => setIsMaking(true)}>
          {t('promises:button')}
        </button>
      </div>
      {promises.error ? <p role="alert">{errorText(promises.error)}</p> : null}
      {promises.data && promises.data.length === 0 ? <p className="muted">{t('promises:none')}</p> : null}
      <ul className="promises" aria-labelledby="promises-title">
        {promises.data?.map((p) => (
          <PromiseItem key={p.id} p={p} settings={settings} />
        ))}
      </ul>
      {isMaking ? (
        <PromiseDialog
          settings={settings}
          caseId={caseId}
          customerName={customerName}
          onClose={() => setIsMaking(false)}
          onDone={() => setIsMaking(false)}
        />
      ) : null}
    </section>
  )
}

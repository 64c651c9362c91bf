import { format } from 'date-fns'
import { type TFunction } from 'i18next'
import { useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { type ReplyCheck } from '../../../shared/api'
import { type ApiError } from '../../../shared/core/errors'
import { dateLocaleOf } from '../../../shared/core/i18n/dateLocales'
import { loadLocaleResources } from '../../../shared/core/i18n/i18n'
import { type ReplyTemplate, replyTemplates } from '../../../shared/contacts/schemas'
import { nextPendingStep } from '../../../shared/cases/recovery'
import { draftReply } from '../../../shared/replies/draft'
import { type Case, type Customer, type Locale, type Settings, locales } from '../../../shared/schemas'
import { Choice } from '../components/Choice'
import { Dialog } from '../components/Dialog'
import { Field } from '../components/Field'
import { formatDateTime } from '../format'
import { asApiError, useApi, useApiCall, useErrorText } from '../hooks'
import { CoachedText } from './CoachedText'
import './contacts.css'

const languageNames: Record<Locale, string> = { en: 'English', 'zh-CN': '简体中文', 'zh-TW': '繁體中文', hu: 'Magyar' }

/** A translator for the reply's language, which may differ from the screen's: loaded on demand. */
function useReplyT(locale: Locale): TFunction | undefined {
  const { i18n } = useTranslation()
  const [ready, setReady] = useState<Locale>()
  useEffect(() => {
    let isCurrent = true
    void (async () => {
      if (!i18n.hasResourceBundle(locale, 'conversation')) {
        const resources = await loadLocaleResources(locale)
        for (const [ns, bundle] of Object.entries(resources)) i18n.addResourceBundle(locale, ns, bundle, true, false)
      }
      if (isCurrent) setReady(locale)
    })()
    return () => {
      isCurrent = false
    }
  }, [i18n, locale])
  return ready === locale ? i18n.getFixedT(locale) : undefined
}

/**
 * Write reply: a draft in the case's language from the template of a recovery step, carrying the
 * case's facts; edited here, with the response coach; checked against every earlier reply (the
 * form-letter check) before it is marked sent; copied, opened in the mail program or printed.
 */
export function WriteReplyDialog({
  c,
  customer,
  settings,
  onClose,
}: {
  c: Case
  customer: Customer
  settings: Settings
  onClose: () => void
}) {
  const { t, i18n } = useTranslation()
  const call = useApiCall()
  const errorText = useErrorText()
  // The case's language: that of the replies it already has, else the screen's.
  const [locale, setLocale] = useState<Locale>(c.replies?.at(-1)?.locale ?? (i18n.language as Locale))
  const [template, setTemplate] = useState<ReplyTemplate>(nextPendingStep(c) ?? 'update')
  const [edited, setEdited] = useState<{ key: string; text: string }>()
  const [via, setVia] = useState<'email' | 'letter'>(customer.email ? 'email' : 'letter')
  const [check, setCheck] = useState<{ body: string; result: ReplyCheck }>()
  const [error, setError] = useState<ApiError>()
  const [notice, setNotice] = useState('')
  const promises = useApi('promises:list', { caseId: c.id, states: ['open', 'overdue'] })
  const replyT = useReplyT(locale)
  const promise = promises.data?.find((p) => !p.guaranteeId && p.what)

  function freshDraft(rt: TFunction): string {
    return draftReply(rt, template, {
      customerName: customer.name,
      what: c.summary,
      remedy: c.remedySought,
      ...(promise
        ? {
            promise: {
              what: promise.what,
              due: format(new Date(promise.dueAt), 'PPP', { locale: dateLocaleOf(locale) }),
            },
          }
        : {}),
      signedBy: settings.currentUser,
    })
  }

  // A new language or template starts a new draft; edits stay until then.
  const isPromisesLoaded = promises.data !== undefined || promises.error !== undefined
  const draftKey = `${locale}|${template}`
  const text =
    edited?.key === draftKey ? edited.text : replyT && isPromisesLoaded ? freshDraft(replyT) : (edited?.text ?? '')
  const setBody = (next: string) => setEdited({ key: draftKey, text: next })
  const checked = check && check.body === text ? check.result : undefined
  const isWarned = checked !== undefined && (checked.isFormLetter || checked.isMissingSpecifics)

  async function runCheck() {
    try {
      const result = await call('replies:check', { caseId: c.id, body: text })
      setCheck({ body: text, result })
      setError(undefined)
    } catch (caught) {
      setError(asApiError(caught))
    }
  }

  async function send() {
    try {
      await call('replies:send', { caseId: c.id, body: text, locale, template, via })
      onClose()
    } catch (caught) {
      setError(asApiError(caught))
    }
  }

  async function copy() {
    try {
      await navigator.clipboard.writeText(text)
      setNotice(t('conversation:reply.copied'))
    } catch (caught) {
      setError(asApiError(caught))
    }
  }

  async function print() {
    try {
      const file = await call('replies:letter', { caseId: c.id, body: text, locale })
      const bytes = Uint8Array.from(atob(file.base64), (ch) => ch.charCodeAt(0))
      const url = URL.createObjectURL(new Blob([bytes], { type: file.mimeType }))
      const link = document.createElement('a')
      link.href = url
      link.download = file.fileName
      link.click()
      URL.revokeObjectURL(url)
    } catch (caught) {
      setError(asApiError(caught))
    }
  }

  const subject = (replyT ?? t)('conversation:reply.subject', { number: c.number })
  const mailto = `mailto:${encodeURIComponent(customer.email ?? '')}?subject=${encodeURIComponent(subject)}&body=${encodeURIComponent(text)}`
  const percent = (share: number) => `${Math.round(share * 100)}%`

  return (
    <Dialog title={t('conversation:reply.title', { number: c.number })} onClose={onClose}>
      <div className="reply-form">
        <div className="inline">
          <Field label={t('conversation:reply.language')}>
            {(p) => (
              <Choice
                {...p}
                value={locale}
                onChange={(v) => setLocale(v as Locale)}
                options={locales.map((l) => ({ value: l, label: languageNames[l] }))}
              />
            )}
          </Field>
          <Field label={t('conversation:reply.template')}>
            {(p) => (
              <Choice
                {...p}
                value={template}
                onChange={(v) => setTemplate(v as ReplyTemplate)}
                options={replyTemplates.map((k) => ({ value: k, label: t(`conversation:reply.templates.${k}`) }))}
              />
            )}
          </Field>
        </div>
        <Field label={t('conversation:reply.body')}>
          {(p) => (
            <textarea
              {...p}
              className="reply-body"
              lang={locale}
              value={text}
              onChange={(e) => setBody(e.target.value)}
            />
          )}
        </Field>
        <CoachedText text={text} locale={locale} settings={settings} />

        {check && !checked ? <p className="muted">{t('conversation:reply.changed')}</p> : null}
        {checked?.isFormLetter && checked.nearest ? (
          <div role="alert" className="reply-warning">
            <p>
              {t('conversation:reply.formLetter', {
                share: percent(checked.nearest.share),
                number: checked.nearest.caseNumber,
                when: formatDateTime(checked.nearest.at, i18n.language as Locale),
                name: customer.name,
              })}
            </p>
            <details>
              <summary>{t('conversation:reply.nearest', { number: checked.nearest.caseNumber })}</summary>
              <p className="reply-nearest">{checked.nearest.body}</p>
            </details>
          </div>
        ) : null}
        {checked?.isMissingSpecifics ? (
          <p role="alert" className="reply-warning">
            {t('conversation:reply.missingSpecifics', {
              missing: [
                ...(checked.specifics.isNameMentioned ? [] : [t('conversation:reply.missing.name')]),
                ...(checked.specifics.isWhatMentioned || checked.specifics.isRemedyMentioned
                  ? []
                  : [t('conversation:reply.missing.factsOrRemedy')]),
              ].join('; '),
            })}
          </p>
        ) : null}
        {checked && !isWarned ? (
          <p role="status" className="reply-passed">
            {t('conversation:reply.passed', { share: percent(checked.nearest?.share ?? 0) })}
          </p>
        ) : null}

        <Field label={t('conversation:reply.via')}>
          {(p) => (
            <Choice
              {...p}
              value={via}
              onChange={(v) => setVia(v as 'email' | 'letter')}
              options={(['email', 'letter'] as const).map((v) => ({
                value: v,
                label: t(`conversation:reply.vias.${v}`),
              }))}
            />
          )}
        </Field>
        {error ? <p role="alert">{errorText(error)}</p> : null}
        {notice ? <p role="status">{notice}</p> : null}
        <div className="actions">
          <button type="button" onClick={() => void copy()} disabled={!text.trim()}>
            {t('conversation:reply.copy')}
          </button>
          <a className="button" href={mailto} target="_blank" rel="noreferrer">
            {t('conversation:reply.mailto')}
          </a>
          <button type="button" onClick={() => void print()} disabled={!text.trim()}>
            {t('conversation:reply.print')}
          </button>
        </div>
        <div className="actions">
          <button type="button" onClick={onClose}>
            {t('actions.cancel')}
          </button>
          <button type="button" onClick={() => void runCheck()} disabled={!text.trim()}>
            {t('conversation:reply.check')}
          </button>
          <button type="button" className="primary" onClick={() => void send()} disabled={!checked}>
            {isWarned ? t('conversation:reply.sendAnyway') : t('conversation:reply.send')}
          </button>
        </div>
      </div>
    </Dialog>
  )
}

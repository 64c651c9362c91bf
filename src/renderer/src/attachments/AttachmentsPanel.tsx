import { type DragEvent, useEffect, useId, useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'
import {
  type Attachment,
  type AttachmentOwner,
  isDrawable,
  maxAttachmentBytes,
} from '../../../shared/attachments/attachments'
import { type ApiError } from '../../../shared/core/errors'
import { type Locale } from '../../../shared/schemas'
import { api, fileUrl, isDesktop } from '../api'
import { formatDateTime } from '../format'
import { asApiError, useApi, useApiCall, useErrorText } from '../hooks'
import './attachments.css'

/** 1.2 MB, 340 kB: in the reader's language. */
export function formatBytes(bytes: number, locale: string): string {
  const [value, unit] = bytes >= 1_000_000 ? [bytes / 1_000_000, 'megabyte'] : [bytes / 1000, 'kilobyte']
  return new Intl.NumberFormat(locale, { style: 'unit', unit, maximumFractionDigits: 1 }).format(value)
}

/** The file's bytes as base64, the encoding the contract carries. */
function readBase64(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader()
    reader.onload = () => resolve(String(reader.result).replace(/^data:[^,]*,/, ''))
    reader.onerror = () => reject(reader.error ?? new Error('The file could not be read'))
    reader.readAsDataURL(file)
  })
}

/**
 * Photos, scanned letters and PDFs on a case, grumble or contact: drop a file on the panel or
 * choose one with **Attach file**. The type is checked from the bytes by the service.
 */
export function AttachmentsPanel({ owner }: { owner: AttachmentOwner }) {
  const { t, i18n } = useTranslation()
  const errorText = useErrorText()
  const call = useApiCall()
  const list = useApi('attachments:list', { owner })
  const input = useRef<HTMLInputElement>(null)
  const titleId = useId()
  const [error, setError] = useState<string>()
  const [status, setStatus] = useState<string>()
  const [isOver, setIsOver] = useState(false)

  async function attach(files: FileList | null) {
    for (const file of Array.from(files ?? [])) {
      // Refused before sending 20 MB over the wire; the service refuses it too.
      if (file.size > maxAttachmentBytes) {
        setError(t('attachments:tooLarge', { name: file.name, size: formatBytes(file.size, i18n.language) }))
        continue
      }
      setStatus(t('attachments:attaching', { name: file.name }))
      try {
        await call('attachments:add', { owner, name: file.name || 'file', content: await readBase64(file) })
        setError(undefined)
        setStatus(t('attachments:attached', { name: file.name }))
      } catch (caught) {
        setStatus(undefined)
        setError(errorText(asApiError(caught)))
      }
    }
    if (input.current) input.current.value = ''
  }

  function onDrop(event: DragEvent) {
    event.preventDefault()
    setIsOver(false)
    void attach(event.dataTransfer.files)
  }

  return (
    <section
      aria-labelledby={titleId}
      className={`card attachments${isOver ? ' drop-over' : ''}`}
      onDragOver={(e) => {
        e.preventDefault()
        setIsOver(true)
      }}
      onDragLeave={() => setIsOver(false)}
      onDrop={onDrop}
    >
      <h2 id={titleId}>{t('attachments:title')}</h2>
      <div className="drop-zone">
        <p className="muted small">
          {t('attachments:drop')} · {t('attachments:kinds')}
        </p>
        <button type="button" onClick={() => input.current?.click()}>
          {t('attachments:attach')}
        </button>
        <input
          ref={input}
          type="file"
          hidden
          multiple
          accept="image/jpeg,image/png,image/webp,image/gif,image/tiff,application/pdf"
          onChange={(e) => void attach(e.target.files)}
        />
      </div>
      {error ? <p role="alert">{error}</p> : null}
      {status ? (
        <p role="status" className="muted small">
          {status}
        </p>
      ) : null}
      {list.error ? <p role="alert">{errorText(list.error)}</p> : null}
      {list.data && list.data.length === 0 ? <p className="muted">{t('attachments:none')}</p> : null}
      <ul className="attachment-list" aria-labelledby={titleId}>
        {(list.data ?? []).map((a) => (
          <AttachmentItem key={a.id} attachment={a} locale={i18n.language as Locale} />
        ))}
      </ul>
    </section>
  )
}

function AttachmentItem({ attachment: a, locale }: { attachment: Attachment; locale: Locale }) {
  const { t } = useTranslation()
  const errorText = useErrorText()
  const [error, setError] = useState<ApiError>()
  const [status, setStatus] = useState<string>()

  async function openInViewer() {
    try {
      await api('attachments:open', { id: a.id })
      setStatus(t('attachments:opened', { name: a.name }))
      setError(undefined)
    } catch (caught) {
      setError(asApiError(caught))
    }
  }

  return (
    <li aria-label={a.name} className="attachment">
      {isDrawable(a.type) ? (
        <Thumbnail attachment={a} />
      ) : (
        <span className="file-icon" aria-hidden="true">
          PDF
        </span>
      )}
      <div className="grow">
        <div className="ellipsis">
          <strong>{a.name}</strong>
        </div>
        <div className="muted small">
          {t('attachments:added', {
            size: formatBytes(a.bytes, locale),
            by: a.addedBy,
            when: formatDateTime(a.addedAt, locale),
          })}
        </div>
        {error ? <p role="alert">{errorText(error)}</p> : null}
        {status ? (
          <p role="status" className="muted small">
            {status}
          </p>
        ) : null}
      </div>
      <div className="actions">
        {isDesktop ? (
          <button type="button" onClick={() => void openInViewer()} aria-description={a.name}>
            {t('attachments:open')}
          </button>
        ) : (
          <>
            <a href={fileUrl(a.id)} target="_blank" rel="noopener noreferrer" aria-description={a.name}>
              {t('attachments:open')}
            </a>
            <a href={fileUrl(a.id, true)} download={a.name} aria-description={a.name}>
              {t('attachments:save')}
            </a>
          </>
        )}
      </div>
    </li>
  )
}

/** A scaled view drawn by the browser itself: no image library on either side. */
function Thumbnail({ attachment: a }: { attachment: Attachment }) {
  const { t } = useTranslation()
  const [src, setSrc] = useState(fileUrl(a.id))
  useEffect(() => {
    if (!isDesktop) return
    // The desktop window has no HTTP host: the bytes come over the bridge as a data: URL.
    let isCurrent = true
    api('attachments:content', { id: a.id }).then(
      (answer) => isCurrent && setSrc(`data:${a.type};base64,${answer.content}`),
      () => undefined,
    )
    return () => {
      isCurrent = false
    }
  }, [a.id, a.type])
  if (!src) return <span className="thumbnail" aria-hidden="true" />
  return <img className="thumbnail" src={src} alt={t('attachments:thumbnail', { name: a.name })} loading="lazy" />
}

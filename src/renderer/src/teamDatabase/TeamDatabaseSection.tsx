import { type FormEvent, useState } from 'react'
import { useQueryClient } from '@tanstack/react-query'
import { useTranslation } from 'react-i18next'
import { type ApiError } from '../../../shared/core/errors'
import { type TeamDatabaseStatus, type TestResult } from '../../../shared/teamDatabase/contract'
import { api, isDesktop } from '../api'
import { Field } from '../components/Field'
import { asApiError, useApi, useApiCall, useErrorText } from '../hooks'

type Busy = 'test' | 'connect' | 'disconnect' | undefined

/**
 * Settings → Team database: which store this desk works on, and the way onto a team's shared
 * PostgreSQL database (Test connection, Connect) and back to the data folder. The password is
 * typed here and handed on once; the desktop app keeps it encrypted by the system.
 */
export function TeamDatabaseSection() {
  const { t } = useTranslation()
  const call = useApiCall()
  const client = useQueryClient()
  const errorText = useErrorText()
  const status = useApi('teamDatabase:status', {}).data
  const [typedUrl, setUrl] = useState<string>()
  // On a team database the URL it works on is offered (never a password: none is sent back).
  const url = typedUrl ?? status?.team?.url ?? ''
  const [password, setPassword] = useState('')
  const [tested, setTested] = useState<TestResult>()
  const [error, setError] = useState<ApiError>()
  const [message, setMessage] = useState('')
  const [busy, setBusy] = useState<Busy>()

  async function run(kind: Exclude<Busy, undefined>, work: () => Promise<void>) {
    setBusy(kind)
    setError(undefined)
    setMessage('')
    try {
      await work()
    } catch (caught) {
      setError(asApiError(caught))
    } finally {
      setBusy(undefined)
    }
  }

  const test = () =>
    run('test', async () => {
      setTested(undefined)
      setTested(await api('teamDatabase:test', { url, password }))
    })

  /** After a switch every screen reads again: it is another store. */
  const switched = async (text: string) => {
    await client.invalidateQueries()
    setMessage(text)
    setTested(undefined)
    setPassword('')
  }

  function connect(event: FormEvent) {
    event.preventDefault()
    void run('connect', async () => {
      // Connect tests again: its own answer replaces the last test's.
      setTested(undefined)
      const now = await call('teamDatabase:connect', { url, password })
      const role = now.team?.role ? t(`team:role.${now.team.role}`) : ''
      await switched(t('teamdb:connected', { name: now.team?.name ?? '', role }))
    })
  }

  const disconnect = () =>
    run('disconnect', async () => {
      await call('teamDatabase:disconnect', {})
      await switched(t('teamdb:disconnected'))
    })

  const edit = (apply: () => void) => {
    apply()
    setTested(undefined)
    setError(undefined)
    setMessage('')
  }

  return (
    <section className="card" aria-labelledby="team-database-title">
      <h2 id="team-database-title">{t('teamdb:title')}</h2>
      {status ? <Now status={status} /> : null}
      {status?.canSwitch === false ? null : (
        <>
          <p className="muted small">{t('teamdb:intro')}</p>
          <form onSubmit={connect} className="form-grid team-database-form">
            <Field label={t('teamdb:field.url')}>
              {(p) => (
                <>
                  <input
                    {...p}
                    type="text"
                    inputMode="url"
                    autoComplete="off"
                    spellCheck={false}
                    placeholder="postgres://login@host:5432/makegood"
                    aria-describedby={p['aria-describedby'] ?? 'team-database-url-hint'}
                    value={url}
                    required
                    onChange={(e) => edit(() => setUrl(e.target.value))}
                  />
                  <p className="muted small" id="team-database-url-hint">
                    {t('teamdb:field.urlHint')}
                  </p>
                </>
              )}
            </Field>
            <Field label={t('teamdb:field.password')}>
              {(p) => (
                <input
                  {...p}
                  type="password"
                  autoComplete="current-password"
                  value={password}
                  onChange={(e) => edit(() => setPassword(e.target.value))}
                />
              )}
            </Field>
            {/* Once connected, the line under "this desk works on…" already says what is kept. */}
            {status?.team ? null : (
              <p className="muted small">{t(isDesktop ? 'teamdb:keeping.desktop' : 'teamdb:keeping.browser')}</p>
            )}
            <div className="actions">
              <button type="button" disabled={busy !== undefined || url.trim() === ''} onClick={() => void test()}>
                {busy === 'test' ? t('teamdb:testing') : t('teamdb:test')}
              </button>
              <button type="submit" className="primary" disabled={busy !== undefined || url.trim() === ''}>
                {busy === 'connect' ? t('teamdb:connecting') : t('teamdb:connect')}
              </button>
              {status?.engine === 'team' ? (
                <button type="button" disabled={busy !== undefined} onClick={() => void disconnect()}>
                  {t('teamdb:disconnect')}
                </button>
              ) : null}
            </div>
          </form>
        </>
      )}
      {tested ? <TestAnswer found={tested} /> : null}
      {message ? <p role="status">{message}</p> : null}
      {error ? <p role="alert">{errorText(error)}</p> : null}
    </section>
  )
}

/** Which store this desk works on now, and whether it comes back to it after a restart. */
function Now({ status }: { status: TeamDatabaseStatus }) {
  const { t } = useTranslation()
  const team = status.team
  if (!team) return <p>{t('teamdb:now.folder', { path: status.folder })}</p>
  const role = team.role ? t(`team:role.${team.role}`) : ''
  return (
    <>
      <p>{t('teamdb:now.team', { ...team, role })}</p>
      {status.memory ? <p className="muted small">{t(`teamdb:memory.${status.memory}`)}</p> : null}
      <p className="muted small">{t('teamdb:now.files', { path: status.folder })}</p>
    </>
  )
}

/** What "Test connection" found: everything it reached, then the first thing that stops a connect. */
function TestAnswer({ found }: { found: TestResult }) {
  const { t } = useTranslation()
  const params = {
    host: found.host,
    database: found.database,
    login: found.login,
    version: found.serverVersion ?? '',
    schema: found.schemaVersion ?? '',
    name: found.person?.name ?? '',
    role: found.person ? t(`team:role.${found.person.role}`) : '',
  }
  if (found.isReady) return <p role="status">{t('teamdb:result.ready', params)}</p>
  return (
    <div role="alert">
      {found.isReachable ? <p>{t('teamdb:result.reached', params)}</p> : null}
      {found.problem ? <p>{t(`teamdb:result.problem.${found.problem.reason}`, params)}</p> : null}
    </div>
  )
}

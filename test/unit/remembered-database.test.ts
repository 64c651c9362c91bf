import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto'
import { readFile, readdir, stat, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import {
  type Cipher,
  forgetDatabase,
  recallDatabase,
  rememberDatabase,
  rememberedFileName,
  setAsideDatabase,
} from '../../src/main/teamDatabase/remembered'
import { tempDir } from '../helpers/temp'

/**
 * A stand-in for Electron's safeStorage (the operating system's keychain, which Node has not):
 * real AES-256-GCM under a key only this stand-in knows, so the file holds ciphertext as it would.
 */
function standInCipher(isAvailable = true): Cipher {
  const key = randomBytes(32)
  return {
    isEncryptionAvailable: () => isAvailable,
    encryptString(plain) {
      if (!isAvailable) throw new Error('safeStorage is not available')
      const iv = randomBytes(12)
      const cipher = createCipheriv('aes-256-gcm', key, iv)
      const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()])
      return Buffer.concat([iv, cipher.getAuthTag(), body])
    },
    decryptString(encrypted) {
      const decipher = createDecipheriv('aes-256-gcm', key, encrypted.subarray(0, 12))
      decipher.setAuthTag(encrypted.subarray(12, 28))
      return Buffer.concat([decipher.update(encrypted.subarray(28)), decipher.final()]).toString('utf8')
    },
  }
}

const url = 'postgres://tom_baker@db.example:5432/makegood'
const password = 'Sup3r-secret pässwörd'

async function fileIn(): Promise<{ dir: string; file: string }> {
  const dir = await tempDir('makegood-userdata-')
  return { dir, file: join(dir, rememberedFileName) }
}

describe('the remembered team database (desktop app, next start)', () => {
  it('keeps the URL and the encrypted password, and gives both back', async () => {
    const { file } = await fileIn()
    const cipher = standInCipher()
    expect(await rememberDatabase(file, { url, password }, cipher)).toBe('remembered')
    expect(await recallDatabase(file, cipher)).toEqual({ kind: 'found', url, password })
    // Only its owner may read it (POSIX; Windows keeps no such mode).
    if (process.platform !== 'win32') expect((await stat(file)).mode & 0o777).toBe(0o600)
  })

  it('never writes the password in plain text, nor merely base64-encoded', async () => {
    const { file } = await fileIn()
    await rememberDatabase(file, { url, password }, standInCipher())
    const bytes = await readFile(file)
    expect(bytes.includes(Buffer.from(password, 'utf8'))).toBe(false)
    expect(bytes.includes(Buffer.from(Buffer.from(password, 'utf8').toString('base64')))).toBe(false)
    expect(bytes.toString('utf8')).toContain(url)
  })

  it('writes nothing when the system offers no encryption, and forgets a password kept before', async () => {
    const { dir, file } = await fileIn()
    expect(await rememberDatabase(file, { url, password }, standInCipher(false))).toBe('this_session')
    expect(await readdir(dir)).toEqual([])

    await rememberDatabase(file, { url, password }, standInCipher())
    expect(
      await rememberDatabase(file, { url: 'postgres://sue@db.example/makegood', password }, standInCipher(false)),
    ).toBe('this_session')
    expect(await readdir(dir)).toEqual([])
  })

  it('answers "none" when nothing was kept', async () => {
    const { file } = await fileIn()
    expect(await recallDatabase(file, standInCipher())).toEqual({ kind: 'none' })
  })

  it.each([
    ['not JSON', '{"version": 1, "url": '],
    ['a field missing', JSON.stringify({ version: 1, url })],
    [
      'a password inside the URL',
      JSON.stringify({ version: 1, url: 'postgres://tom:pw@db/makegood', encryptedPassword: 'AAAA' }),
    ],
    ['a version this build does not know', JSON.stringify({ version: 2, url, encryptedPassword: 'AAAA' })],
    ['an unknown field', JSON.stringify({ version: 1, url, encryptedPassword: 'AAAA', password: 'plain' })],
  ])('reports a damaged file (%s) instead of using or ignoring it', async (_what, text) => {
    const { file } = await fileIn()
    await writeFile(file, text)
    const recalled = await recallDatabase(file, standInCipher())
    expect(recalled.kind).toBe('unusable')
    expect(recalled.kind === 'unusable' && recalled.message).toMatch(/is damaged/)
    // Once reported, it is set aside with its bytes: the next start does not say it again.
    const aside = await setAsideDatabase(file)
    expect(await readFile(aside, 'utf8')).toBe(text)
    expect(await recallDatabase(file, standInCipher())).toEqual({ kind: 'none' })
  })

  it('reports a password the system can no longer decrypt (another user, another keychain)', async () => {
    const { file } = await fileIn()
    await rememberDatabase(file, { url, password }, standInCipher())
    const recalled = await recallDatabase(file, standInCipher())
    expect(recalled.kind).toBe('unusable')
    expect(recalled.kind === 'unusable' && recalled.message).toMatch(/cannot be decrypted/)
    const unavailable = await recallDatabase(file, standInCipher(false))
    expect(unavailable.kind === 'unusable' && unavailable.message).toMatch(/encryption is not available/)
  })

  it('refuses to keep a URL that carries a password', async () => {
    const { dir, file } = await fileIn()
    await expect(
      rememberDatabase(file, { url: 'postgres://tom:secret@db/makegood', password }, standInCipher()),
    ).rejects.toThrow(/Password field/)
    expect(await readdir(dir)).toEqual([])
  })

  it('forgets: the next start opens the data folder', async () => {
    const { dir, file } = await fileIn()
    const cipher = standInCipher()
    await rememberDatabase(file, { url, password }, cipher)
    await forgetDatabase(file)
    expect(await readdir(dir)).toEqual([])
    expect(await recallDatabase(file, cipher)).toEqual({ kind: 'none' })
    await expect(forgetDatabase(file)).resolves.toBeUndefined()
  })
})

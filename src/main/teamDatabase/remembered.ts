import { readFile, rename, rm } from 'node:fs/promises'
import { z } from 'zod'
import { DatabaseUrl } from '../../shared/teamDatabase/contract'
import { writeFileDurable } from '../store/durable'

/** The file in the app's user-data folder naming the team database this desk connects to at start. */
export const rememberedFileName = 'team-database.json'

/**
 * What is kept: the URL (which never holds the password) and the password as the operating
 * system encrypted it (Electron's safeStorage: the keychain, DPAPI, or the Secret Service).
 */
export const RememberedFile = z
  .object({
    version: z.literal(1),
    url: DatabaseUrl,
    /** Base64 of safeStorage.encryptString(password). */
    encryptedPassword: z.base64().max(20_000),
  })
  .strict()
export type RememberedFile = z.infer<typeof RememberedFile>

/** The operating system's encryption, as Electron's safeStorage offers it; tests pass a stand-in. */
export type Cipher = {
  isEncryptionAvailable(): boolean
  encryptString(plain: string): Buffer
  decryptString(encrypted: Buffer): string
}

/**
 * Keeps the connection for the next start. Without the system's encryption nothing is written:
 * a password is never kept in plain text, so the desk connects for this session only.
 */
export async function rememberDatabase(
  file: string,
  connection: { url: string; password: string },
  cipher: Cipher,
): Promise<'remembered' | 'this_session'> {
  if (!cipher.isEncryptionAvailable()) {
    // A password kept before under another URL must not outlive the choice of a new database.
    await forgetDatabase(file)
    return 'this_session'
  }
  const kept: RememberedFile = {
    version: 1,
    url: DatabaseUrl.parse(connection.url),
    encryptedPassword: cipher.encryptString(connection.password).toString('base64'),
  }
  await writeFileDurable(file, `${JSON.stringify(kept, null, 2)}\n`)
  return 'remembered'
}

export type Recalled =
  | { kind: 'none' }
  | { kind: 'found'; url: string; password: string }
  /** The file is there but cannot be used: damaged, or the system can no longer decrypt it. */
  | { kind: 'unusable'; message: string }

/** Reads what `rememberDatabase` kept. A damaged or undecryptable file is answered, never thrown or ignored. */
export async function recallDatabase(file: string, cipher: Cipher): Promise<Recalled> {
  let text: string
  try {
    text = await readFile(file, 'utf8')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { kind: 'none' }
    return { kind: 'unusable', message: `${file} cannot be read: ${(error as Error).message}` }
  }
  let kept: RememberedFile
  try {
    kept = RememberedFile.parse(JSON.parse(text))
  } catch (error) {
    const reason = error instanceof z.ZodError ? z.prettifyError(error).replace(/\s+/g, ' ') : (error as Error).message
    return { kind: 'unusable', message: `${file} is damaged: ${reason}` }
  }
  if (!cipher.isEncryptionAvailable()) {
    return { kind: 'unusable', message: `${file} cannot be decrypted: the system's encryption is not available` }
  }
  try {
    return {
      kind: 'found',
      url: kept.url,
      password: cipher.decryptString(Buffer.from(kept.encryptedPassword, 'base64')),
    }
  } catch (error) {
    return { kind: 'unusable', message: `${file} cannot be decrypted: ${(error as Error).message}` }
  }
}

/** "Use this desk's data folder": the next start opens the data folder. */
export async function forgetDatabase(file: string): Promise<void> {
  await rm(file, { force: true })
}

/**
 * Moves an unusable file aside once it has been reported (kept for a look, as `<file>.unusable`):
 * the next start opens the data folder without saying the same thing again.
 */
export async function setAsideDatabase(file: string): Promise<string> {
  const aside = `${file}.unusable`
  await rename(file, aside)
  return aside
}

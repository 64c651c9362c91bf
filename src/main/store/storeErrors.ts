import { AppError } from '../../shared/core/errors'

/** Disk full, read-only folder, permissions: one typed error naming the folder and the cause. */
export function storageError(dir: string, error: unknown): AppError {
  if (error instanceof AppError) return error
  const code = (error as NodeJS.ErrnoException).code ?? ''
  const message = error instanceof Error ? error.message : String(error)
  const reason =
    code === 'ENOSPC' || code === 'EDQUOT'
      ? 'store.disk_full'
      : code === 'EROFS' || code === 'EACCES' || code === 'EPERM'
        ? 'store.not_writable'
        : 'store.write_failed'
  const plain =
    reason === 'store.disk_full'
      ? 'the disk is full'
      : reason === 'store.not_writable'
        ? 'the folder cannot be written to'
        : message
  return new AppError('storage', `Could not save to ${dir}: ${plain}. Nothing was changed.`, {
    reason,
    params: { dir, error: plain, code },
  })
}

export function readOnlyError(): AppError {
  return new AppError('read_only', 'This data folder was opened read-only', { reason: 'store.read_only' })
}

export function invalidFile(path: string, details: { path: string; message: string }[]): AppError {
  const first = details[0]
  const where = first?.path ? ` at ${first.path}` : ''
  return new AppError(
    'storage',
    `The data file ${path} is not valid${where}: ${first?.message ?? 'unknown problem'}. It was left untouched.`,
    { reason: 'store.invalid_file', params: { path }, details },
  )
}

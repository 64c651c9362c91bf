import { type BackgroundAlert } from '../../shared/api'

/**
 * Failures of background jobs a person must act on (a daily backup or the monthly export could
 * not be written). One per kind, raised when the job fails and cleared when it next succeeds;
 * the UI asks for them (`alerts:list`), so the browser mode learns of them too.
 */
export class Alerts {
  private readonly open = new Map<BackgroundAlert['kind'], BackgroundAlert>()

  /** Records the failure; true when it is new (not already open), so it is announced once. */
  raise(kind: BackgroundAlert['kind'], message: string, at: Date): boolean {
    const isNew = !this.open.has(kind)
    this.open.set(kind, { kind, message, at: at.toISOString() })
    return isNew
  }

  clear(kind: BackgroundAlert['kind']): void {
    this.open.delete(kind)
  }

  list(): BackgroundAlert[] {
    return [...this.open.values()]
  }
}

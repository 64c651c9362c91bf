import { type z } from 'zod'
import { type Result } from './core/errors'
import { defineContract } from './core/contract'
import { attachmentsContract } from './attachments/contract'
import { casesContract } from './cases/contract'
import { contactsContract } from './contacts/contract'
import { costsContract } from './costs/contract'
import { customersContract } from './customers/contract'
import { escalationsContract } from './escalations/contract'
import { icebergContract } from './iceberg/contract'
import { importsContract } from './imports/contract'
import { promisesContract } from './promises/contract'
import { reportsContract } from './reports/contract'
import { rubricsContract } from './rubrics/contract'
import { searchContract } from './search/contract'
import { settingsContract } from './settings/contract'
import { storageContract } from './storage/contract'
import { teamContract } from './team/contract'
import { trashContract } from './trash/contract'
import { liveContract } from './live/contract'
import { teamDatabaseContract } from './teamDatabase/contract'

export * from './cases/contract'
export * from './contacts/contract'
export * from './customers/contract'
export * from './escalations/contract'
export * from './reports/contract'
export * from './search/contract'
export * from './settings/contract'
export * from './storage/contract'
export * from './team/contract'
export * from './trash/contract'
export * from './live/contract'
export * from './teamDatabase/contract'

/**
 * The one contract between the UI and the services, assembled from each feature's part: every
 * method is a name with a zod input schema, a zod output schema, and what it changes or reads
 * (see `method` in core/contract.ts). Both hosts register every method by walking this map and
 * validate the input there; the renderer's client and query layer are typed and driven by it.
 */
export const contract = defineContract(
  settingsContract,
  customersContract,
  casesContract,
  icebergContract,
  storageContract,
  importsContract,
  promisesContract,
  escalationsContract,
  reportsContract,
  contactsContract,
  rubricsContract,
  attachmentsContract,
  teamContract,
  searchContract,
  trashContract,
  liveContract,
  costsContract,
  teamDatabaseContract,
)

export type Contract = typeof contract
export type Method = keyof Contract
export type MethodInput<M extends Method> = z.input<Contract[M]['input']>
export type MethodOutput<M extends Method> = z.output<Contract[M]['output']>
export const methods = Object.keys(contract) as Method[]

/** What the preload exposes on `window.makegood` in the desktop app: one function per method. */
export type DesktopBridge = { [M in Method]: (input: unknown) => Promise<Result<unknown>> }

export function isMethod(name: string): name is Method {
  return Object.hasOwn(contract, name)
}

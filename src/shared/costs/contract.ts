import { z } from 'zod'
import { method } from '../core/contract'
import { CustomerPromise } from '../promises/promises'
import { Case } from '../schemas'
import { CaseCostsInput, CompensationInput, FailureFilter, LoggedFailure, NewFailure } from './schemas'

/** Failures without a customer, what cases cost, and guarantee compensation actually given. */
export const costsContract = {
  /** A failure with no customer counts in the patterns like any other: a sweep follows. */
  'failures:log': method(NewFailure, LoggedFailure, { changes: ['failures'], isSweepAfter: true }),
  'failures:list': method(FailureFilter.default({}), z.array(LoggedFailure), { reads: ['failures'] }),
  'cases:set-costs': method(CaseCostsInput, Case, { changes: ['cases'] }),
  'promises:compensation': method(CompensationInput, CustomerPromise, { changes: ['promises'] }),
}

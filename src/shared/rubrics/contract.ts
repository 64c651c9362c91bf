import { z } from 'zod'
import { method } from '../core/contract'
import { id } from '../schemas'
import { Rubric, RubricAverages, RubricInput } from './rubrics'

/** The contract part of case rubrics: a supervisor's score of a closed case, and the averages. */
export const rubricsContract = {
  'rubrics:get': method(z.object({ caseId: id }).strict(), Rubric.nullable(), { reads: ['rubrics'] }),
  'rubrics:score': method(RubricInput, Rubric, { changes: ['rubrics'] }),
  'rubrics:averages': method(z.object({}).strict().default({}), RubricAverages, { reads: ['rubrics', 'cases'] }),
}

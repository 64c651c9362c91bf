import { z } from 'zod'

/**
 * What a method can change or read, as the UI's query layer and the dispatcher see it: the
 * store's record kinds, plus settings and the backups folder.
 */
export const dataKinds = [
  'settings',
  'customers',
  'cases',
  'grumbles',
  'activities',
  'signals',
  'promises',
  'escalations',
  'rubrics',
  'attachments',
  'trash',
  'failures',
  'backups',
] as const
export type DataKind = (typeof dataKinds)[number]

/** Everything the person sees may change (a restore, the sample data). */
export const everything: readonly DataKind[] = dataKinds

export type MethodTraits = {
  /** What a call writes; a query leaves it empty. The UI refreshes the queries that read any of it. */
  changes: readonly DataKind[]
  /** What a query's answer is computed from; it becomes stale when a call changes any of it. */
  reads: readonly DataKind[]
  /**
   * A pattern sweep follows a successful call: the change may raise or update escalations.
   * (The sweep writes `escalations`, so the UI treats those as changed too.)
   */
  isSweepAfter: boolean
  /**
   * Answers from what is in memory while older months still load (the answer says whether it
   * is complete); every other method waits for the whole history.
   */
  isUsableWhileLoading: boolean
}

export type MethodSpec<I extends z.ZodType = z.ZodType, O extends z.ZodType = z.ZodType> = {
  input: I
  output: O
} & MethodTraits

/**
 * One contract method: a zod input schema, a zod output schema, and what it changes or reads.
 * Adding a method is one entry in its feature's contract part plus one handler.
 */
export function method<I extends z.ZodType, O extends z.ZodType>(
  input: I,
  output: O,
  traits: Partial<MethodTraits> = {},
): MethodSpec<I, O> {
  return {
    input,
    output,
    changes: traits.changes ?? [],
    reads: traits.reads ?? [],
    isSweepAfter: traits.isSweepAfter ?? false,
    isUsableWhileLoading: traits.isUsableWhileLoading ?? false,
  }
}

/** The input of a method that takes nothing. */
export const nothing = z.object({}).strict().default({})

type UnionToIntersection<U> = (U extends unknown ? (part: U) => void : never) extends (part: infer I) => void
  ? I
  : never

/**
 * Joins the features' contract parts into one contract. A method name declared twice is a
 * mistake that would silently replace one handler by another: it throws at start-up.
 */
export function defineContract<Parts extends Record<string, MethodSpec>[]>(
  ...parts: Parts
): UnionToIntersection<Parts[number]> {
  const contract: Record<string, MethodSpec> = {}
  for (const part of parts) {
    for (const [name, spec] of Object.entries(part)) {
      if (Object.hasOwn(contract, name)) throw new Error(`Contract method ${name} is declared twice`)
      contract[name] = spec
    }
  }
  return contract as UnionToIntersection<Parts[number]>
}

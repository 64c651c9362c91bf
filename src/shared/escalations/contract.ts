import { z } from 'zod'
import { method, nothing } from '../core/contract'
import { id } from '../schemas'
import { Escalation, EscalationRule, EscalationSeverity, EscalationStatus, Evidence } from './escalation'

/** An escalation as the UI and CLI show it: evidence with readable labels, and whether it may resolve now. */
export const EscalationView = Escalation.extend({
  evidence: z.array(Evidence.extend({ label: z.string(), customerName: z.string().optional() })),
  customerName: z.string().optional(),
  caseNumber: z.string().optional(),
  /** Who owns the case behind it, for the inbox's owner filter (rules about one case only). */
  caseOwner: z.string().optional(),
  /** Why Resolve would be refused right now (a translated reason key), absent when it would not. */
  resolveBlock: z
    .object({ reason: z.string(), params: z.record(z.string(), z.union([z.string(), z.number()])) })
    .optional(),
})
export type EscalationView = z.infer<typeof EscalationView>

export const EscalationCounts = z.object({ unacknowledged: z.number(), open: z.number() })

export const SweepResult = z.array(
  z.object({
    change: z.enum(['raised', 'evidence', 'reopened', 're-raised']),
    added: z.number(),
    escalation: Escalation,
  }),
)
export type SweepResult = z.infer<typeof SweepResult>

export const DepartmentFailures = z.object({
  months: z.array(z.string()),
  departments: z.array(
    z.object({
      department: z.string(),
      rows: z.array(z.object({ category: z.string(), counts: z.array(z.number()), target: z.number().optional() })),
    }),
  ),
})
export type DepartmentFailures = z.infer<typeof DepartmentFailures>

/** Everything the pattern rules look at: an escalation's view depends on it. */
const patternSources = ['escalations', 'cases', 'customers', 'promises', 'grumbles', 'signals', 'settings'] as const

export const escalationsContract = {
  'escalations:list': method(
    z
      .object({
        /** `open`: raised, acknowledged or action planned. */
        status: z.union([EscalationStatus, z.literal('open')]).optional(),
        rule: EscalationRule.optional(),
        department: z.string().max(200).optional(),
        severity: EscalationSeverity.optional(),
        /** The planned action's owner, or the owner of the case behind it. */
        owner: z.string().max(200).optional(),
        /** The first N in list order (open ones first); `total` says how many there are. */
        limit: z.number().int().min(1).max(1_000_000).optional(),
      })
      .strict()
      .default({}),
    z.object({ escalations: z.array(EscalationView), total: z.number().int() }).extend(EscalationCounts.shape),
    { reads: patternSources },
  ),
  'escalations:counts': method(nothing, EscalationCounts, { reads: ['escalations'] }),
  /** Runs the seven rules now and commits what changed; returns the new and updated escalations. */
  'escalations:sweep': method(nothing, SweepResult, { changes: ['escalations'] }),
  'escalations:acknowledge': method(
    z.object({ id, manager: z.string().max(200), note: z.string().max(10_000) }).strict(),
    Escalation,
    { changes: ['escalations'] },
  ),
  /** Several at once with one note, all or none: a manager clearing the inbox after a review. */
  'escalations:acknowledgeMany': method(
    z
      .object({
        ids: z.array(id).min(1).max(1000),
        manager: z.string().max(200),
        note: z.string().max(10_000),
      })
      .strict(),
    z.object({ escalations: z.array(Escalation) }),
    { changes: ['escalations'] },
  ),
  'escalations:planAction': method(
    z.object({ id, what: z.string().max(10_000), owner: z.string().max(200), dueAt: z.string().max(40) }).strict(),
    Escalation,
    // The plan is also a promise in the ledger (and a new plan cancels the previous one's).
    { changes: ['escalations', 'promises'] },
  ),
  'escalations:resolve': method(z.object({ id, note: z.string().max(10_000).default('') }).strict(), Escalation, {
    changes: ['escalations'],
  }),
  'escalations:dismiss': method(z.object({ id, reason: z.string().max(10_000) }).strict(), Escalation, {
    changes: ['escalations'],
  }),
  'escalations:departments': method(
    z
      .object({ months: z.number().int().min(1).max(36).optional() })
      .strict()
      .default({}),
    DepartmentFailures,
    { reads: ['cases', 'grumbles', 'failures', 'settings'] },
  ),
}

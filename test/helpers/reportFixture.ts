import { closeCase, completeStep, freshSteps, reopenCase, skipStep } from '../../src/shared/cases/recovery'
import {
  type ReportEscalation,
  type ReportInput,
  type ReportPromise,
  type ReportSignal,
} from '../../src/shared/reports/report'
import { type Case, type Channel, type Customer, type StepKey } from '../../src/shared/schemas'

type Action =
  | { at: string; step: StepKey; skip?: string }
  | { at: string; close: { satisfaction: number; wouldComeBack: 'yes' | 'no' | 'unsure' } | 'unreached' }
  | { at: string; reopen: true }

let serial = 0

/** A case built through the real recovery rules, so its timeline is what the app would write. */
export function fixtureCase(
  spec: { id: string; customerId: string; channel: Channel; category: string; department: string; receivedAt: string },
  actions: Action[] = [],
): Case {
  serial++
  let c: Case = {
    id: spec.id,
    number: `C-2026-${String(serial).padStart(4, '0')}`,
    customerId: spec.customerId,
    summary: `Case ${spec.id}`,
    description: '',
    remedySought: '',
    channel: spec.channel,
    source: 'phone',
    category: spec.category,
    severity: 'minor',
    department: spec.department,
    owner: 'Anna',
    status: 'open',
    receivedAt: spec.receivedAt,
    steps: freshSteps(),
    timeline: [{ at: spec.receivedAt, by: 'Anna', type: 'created' }],
    updatedAt: spec.receivedAt,
  }
  for (const a of actions) {
    const actor = { by: 'Anna', at: a.at }
    if ('step' in a) c = a.skip ? skipStep(c, a.step, a.skip, actor) : completeStep(c, a.step, '', actor)
    else if ('close' in a) {
      c = closeCase(c, a.close === 'unreached' ? { reached: false } : { reached: true, ...a.close }, actor)
    } else c = reopenCase(c, 'It happened again', actor)
  }
  return c
}

const allSteps = (at: string, first: string, resolve: string): Action[] => [
  { at: first, step: 'empathise' },
  { at, step: 'apologise' },
  { at: resolve, step: 'resolve' },
  { at: resolve, step: 'investigate' },
  { at: resolve, step: 'add-plus' },
  { at: resolve, step: 'prevent' },
]

export const customers: Customer[] = ['A', 'B', 'C', 'D'].map((n) => ({
  id: `cust-${n}`,
  name: `Customer ${n}`,
  notes: '',
  createdAt: '2026-01-01T00:00:00.000Z',
}))

/**
 * The hand-computed fixture month, October 2026 (see test/unit/report.test.ts for the sums).
 */
export function fixtureCases(): Case[] {
  return [
    fixtureCase(
      {
        id: 'c1',
        customerId: 'cust-A',
        channel: 'formal',
        category: 'long-wait',
        department: 'Kitchen',
        receivedAt: '2026-10-02T10:00:00.000Z',
      },
      [
        ...allSteps('2026-10-02T13:00:00.000Z', '2026-10-02T12:00:00.000Z', '2026-10-03T10:00:00.000Z'),
        { at: '2026-10-04T10:00:00.000Z', close: { satisfaction: 5, wouldComeBack: 'yes' } },
      ],
    ),
    fixtureCase(
      {
        id: 'c2',
        customerId: 'cust-B',
        channel: 'formal',
        category: 'long-wait',
        department: 'Kitchen',
        receivedAt: '2026-10-05T08:00:00.000Z',
      },
      [
        ...allSteps('2026-10-05T13:00:00.000Z', '2026-10-05T12:00:00.000Z', '2026-10-07T08:00:00.000Z'),
        { at: '2026-10-08T00:00:00.000Z', close: { satisfaction: 3, wouldComeBack: 'no' } },
      ],
    ),
    fixtureCase(
      {
        id: 'c3',
        customerId: 'cust-C',
        channel: 'grumble',
        category: 'hygiene',
        department: 'Floor',
        receivedAt: '2026-10-10T09:00:00.000Z',
      },
      [{ at: '2026-10-10T10:00:00.000Z', step: 'empathise' }],
    ),
    fixtureCase({
      id: 'c4',
      customerId: 'cust-D',
      channel: 'formal',
      category: 'rude-service',
      department: 'Floor',
      receivedAt: '2026-10-20T09:00:00.000Z',
    }),
    fixtureCase(
      {
        id: 'c5',
        customerId: 'cust-A',
        channel: 'formal',
        category: 'long-wait',
        department: 'Kitchen',
        receivedAt: '2026-09-28T09:00:00.000Z',
      },
      [
        ...allSteps('2026-09-28T11:00:00.000Z', '2026-09-28T10:00:00.000Z', '2026-10-01T09:00:00.000Z'),
        { at: '2026-10-02T09:00:00.000Z', close: 'unreached' },
      ],
    ),
    fixtureCase(
      {
        id: 'c6',
        customerId: 'cust-B',
        channel: 'formal',
        category: 'poor-quality',
        department: 'Floor',
        receivedAt: '2026-09-15T09:00:00.000Z',
      },
      [
        ...allSteps('2026-09-15T11:00:00.000Z', '2026-09-15T10:00:00.000Z', '2026-09-16T09:00:00.000Z'),
        { at: '2026-09-20T09:00:00.000Z', close: { satisfaction: 4, wouldComeBack: 'yes' } },
        { at: '2026-10-12T09:00:00.000Z', reopen: true },
      ],
    ),
    fixtureCase({
      id: 'c7',
      customerId: 'cust-C',
      channel: 'formal',
      category: 'hygiene',
      department: '',
      receivedAt: '2026-11-02T09:00:00.000Z',
    }),
    fixtureCase(
      {
        id: 'c8',
        customerId: 'cust-D',
        channel: 'grumble',
        category: 'long-wait',
        department: 'Kitchen',
        receivedAt: '2026-09-10T09:00:00.000Z',
      },
      [
        { at: '2026-09-10T10:00:00.000Z', step: 'resolve', skip: 'Nothing to fix' },
        { at: '2026-09-10T10:00:00.000Z', step: 'prevent', skip: 'Nothing to change' },
        { at: '2026-09-11T09:00:00.000Z', close: { satisfaction: 2, wouldComeBack: 'unsure' } },
      ],
    ),
  ]
}

export const fixturePromises: ReportPromise[] = [
  { due: '2026-10-05T12:00:00.000Z', status: 'kept', keptAt: '2026-10-05T11:00:00.000Z' },
  { due: '2026-10-06T12:00:00.000Z', status: 'kept', keptAt: '2026-10-07T09:00:00.000Z' },
  { due: '2026-10-10T12:00:00.000Z', status: 'broken' },
  { due: '2026-10-20T12:00:00.000Z', status: 'open' },
  { due: '2026-10-25T12:00:00.000Z', status: 'renegotiated' },
  { due: '2026-11-05T12:00:00.000Z', status: 'open' },
]

export const fixtureEscalations: ReportEscalation[] = [
  {
    id: 'e1',
    title: 'Waiting times at lunch',
    department: 'Kitchen',
    raisedAt: '2026-10-03T09:00:00.000Z',
    resolvedAt: '2026-10-25T09:00:00.000Z',
    evidence: '3 long-wait complaints in 10 days',
    action: 'Second cook at lunch',
  },
  {
    id: 'e2',
    title: 'Dirty tables',
    department: 'Floor',
    raisedAt: '2026-09-20T09:00:00.000Z',
    acknowledgedAt: '2026-09-22T09:00:00.000Z',
    evidence: 'Two hygiene grumbles',
    action: 'Cleaning rota',
  },
  {
    id: 'e3',
    title: 'Rude waiter',
    department: 'Floor',
    raisedAt: '2026-10-28T09:00:00.000Z',
    evidence: 'Formal complaint and a broken promise',
  },
  {
    id: 'e4',
    title: 'Old',
    raisedAt: '2026-08-01T09:00:00.000Z',
    resolvedAt: '2026-09-01T09:00:00.000Z',
    evidence: 'x',
  },
]

export const fixtureSignals: ReportSignal[] = [
  { customerId: 'cust-A', at: '2026-10-04T09:00:00.000Z', valueAtRisk: 500, status: 'open' },
  { customerId: 'cust-B', at: '2026-09-10T09:00:00.000Z', status: 'won-back', closedAt: '2026-10-15T09:00:00.000Z' },
  { customerId: 'cust-C', at: '2026-10-20T09:00:00.000Z', status: 'lost', closedAt: '2026-10-28T09:00:00.000Z' },
  { customerId: 'cust-A', at: '2026-10-10T09:00:00.000Z', valueAtRisk: 250, status: 'open' },
]

export function fixtureInput(extra: Partial<ReportInput> = {}): ReportInput {
  return {
    cases: fixtureCases(),
    customers,
    settings: {
      businessName: 'Golden Dragon Bistro',
      departments: ['Kitchen', 'Floor'],
      categories: [
        { id: 'long-wait', isArchived: false },
        { id: 'hygiene', isArchived: false },
        { id: 'rude-service', isArchived: false },
        { id: 'poor-quality', label: 'Cold food', isArchived: false },
      ],
    },
    ...extra,
  }
}

export const fixtureNow = new Date('2026-11-23T10:00:00.000Z')

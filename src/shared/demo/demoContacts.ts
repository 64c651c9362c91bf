import { type Contact, type ContactKind } from '../contacts/schemas'
import { type Case, type StepKey, type TimelineEvent } from '../schemas'

/** The steps that are a conversation with the customer, and how the sample business has it. */
const spokenSteps: Partial<Record<StepKey, ContactKind>> = {
  empathise: 'call',
  apologise: 'call',
  resolve: 'call',
  'add-plus': 'message',
}

/**
 * The sample's contact log: each customer-facing step done on a case was a call (or a message)
 * to the customer, saying what the step note says. Without it every open sample case would sit
 * under "Waiting for news", which is not the story the sample tells.
 */
export function withSampleContacts(cases: readonly Case[]): Case[] {
  return cases.map((c) => {
    const contacts: Contact[] = c.steps.flatMap((step) => {
      const kind = spokenSteps[step.key]
      if (!kind || step.status !== 'done' || !step.at || !step.by) return []
      return [
        {
          id: `${c.id}-contact-${step.key}`,
          at: step.at,
          by: step.by,
          kind,
          direction: 'out' as const,
          summary: step.note ?? '',
        },
      ]
    })
    if (contacts.length === 0) return c
    // The same line "Log contact" writes, placed in time among the others.
    const lines: TimelineEvent[] = contacts.map((contact) => ({
      at: contact.at,
      by: contact.by,
      type: 'contact',
      field: contact.kind,
      after: contact.direction,
      note: contact.summary,
    }))
    const timeline = [...c.timeline, ...lines].sort((a, b) => Date.parse(a.at) - Date.parse(b.at))
    return { ...c, contacts: [...(c.contacts ?? []), ...contacts], timeline }
  })
}

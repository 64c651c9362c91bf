import { AppError } from '../../../shared/core/errors'
import { type Settings } from '../../../shared/schemas'
import { type ServiceContext } from '../context'

export async function getSettings(ctx: ServiceContext): Promise<Settings> {
  return ctx.store.settings
}

/** A category or department still used by a case cannot disappear from under it. */
export async function updateSettings(ctx: ServiceContext, input: Partial<Settings>): Promise<Settings> {
  const session = ctx.store.session
  if (session && input.currentUser !== undefined && input.currentUser !== ctx.store.settings.currentUser) {
    // Who you are is the login you connected with: another name would sign work as someone else.
    throw new AppError('forbidden', `On a team database you work as ${session.name}, the person of your login`, {
      reason: 'team.working_as_fixed',
      params: { name: session.name },
      details: [{ path: 'currentUser', message: 'Fixed by the login' }],
    })
  }
  // On a team database the language is each person's own: it changes no one else's screens, and
  // an agent, who may not change the shared settings, may still choose it.
  const ownLanguage = ctx.store.setOwnLanguage ? input.language : undefined
  if (ownLanguage !== undefined) {
    const { language: _own, ...shared } = input
    // The shared part first: if the database refuses it, the language is not changed either.
    if (Object.keys(shared).length > 0) await updateSharedSettings(ctx, shared)
    if (ownLanguage !== ctx.store.settings.language) await ctx.store.setOwnLanguage!(ownLanguage)
    return ctx.store.settings
  }
  return updateSharedSettings(ctx, input)
}

async function updateSharedSettings(ctx: ServiceContext, input: Partial<Settings>): Promise<Settings> {
  const next: Settings = { ...ctx.store.settings, ...input }
  const categoryIds = new Set(next.categories.map((c) => c.id))
  if (categoryIds.size !== next.categories.length) {
    throw new AppError('invalid_input', 'Two categories have the same id', {
      reason: 'settings.duplicate_category',
      details: [{ path: 'categories', message: 'Duplicate id' }],
    })
  }
  if (new Set(next.departments).size !== next.departments.length) {
    throw new AppError('invalid_input', 'A department is listed twice', {
      reason: 'settings.duplicate_department',
      details: [{ path: 'departments', message: 'Duplicate' }],
    })
  }
  // Only a category taken away can be in use: changing the language must not read every case.
  const isCategoryGone = ctx.store.settings.categories.some((c) => !categoryIds.has(c.id))
  for (const c of isCategoryGone ? ctx.store.all('cases') : []) {
    if (!categoryIds.has(c.category)) {
      throw new AppError('rule_violation', `Category ${c.category} is used by case ${c.number}; archive it instead`, {
        reason: 'settings.category_in_use',
        params: { category: c.category, number: c.number },
        details: [{ path: 'categories', message: 'In use' }],
      })
    }
  }
  await ctx.store.commit([{ collection: 'settings', value: next }])
  return next
}

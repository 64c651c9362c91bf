import { type TFunction } from 'i18next'
import { type CustomerPromise, type Guarantee, defaultGuarantees, serviceGuaranteeMaker } from './promises'

/** A guarantee's wording: its own text, or the built-in wording in the user's language. */
export function guaranteeText(t: TFunction, g: Pick<Guarantee, 'id' | 'text' | 'amount' | 'unit'>): string {
  if (g.text) return g.text
  const unit = t(`promises:unit.${g.unit}`, { count: g.amount })
  return t(`promises:guarantee.builtIn.${g.id}`, { amount: g.amount, unit, defaultValue: g.id })
}

/** What was promised, as shown: a built-in guarantee's promise takes the guarantee's wording. */
export function promiseWhat(
  t: TFunction,
  p: Pick<CustomerPromise, 'what' | 'guaranteeId'>,
  guarantees: readonly Guarantee[],
): string {
  if (p.what || !p.guaranteeId) return p.what
  const g = guarantees.find((x) => x.id === p.guaranteeId) ?? defaultGuarantees().find((x) => x.id === p.guaranteeId)
  return g ? guaranteeText(t, g) : p.guaranteeId
}

/** Who made it, as shown: "Service guarantee" in the user's language. */
export function promiseMaker(t: TFunction, p: Pick<CustomerPromise, 'madeBy'>): string {
  return makerLabel(t, p.madeBy)
}

/** A maker's name as shown: the guarantee maker is translated, people's names are not. */
export function makerLabel(t: TFunction, name: string): string {
  return name === serviceGuaranteeMaker ? t('promises:guarantee.maker') : name
}

/** A timeline `after` of a promise event: `guarantee:<id>` names a built-in guarantee. */
export function timelineWhat(t: TFunction, after: string, guarantees: readonly Guarantee[]): string {
  return after.startsWith('guarantee:')
    ? promiseWhat(t, { what: '', guaranteeId: after.slice('guarantee:'.length) }, guarantees)
    : after
}

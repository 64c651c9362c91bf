/** The escalation feature's domain, one module per concern; imported together from here. */
export { EscalationSettings, FailureTarget, defaultEscalationSettings } from './settings'
export * from './schemas'
export * from './patterns'
export * from './sweep'
export * from './answers'
export * from './views'

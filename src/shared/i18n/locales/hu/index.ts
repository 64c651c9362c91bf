import cases from './cases.json'
import cli from './cli.json'
import common from './common.json'
import escalations from './escalations.json'

export const resources = { common, cases, cli, escalations }

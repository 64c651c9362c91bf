import cases from './cases.json'
import cli from './cli.json'
import common from './common.json'

export const resources = { common, cases, cli }

import cases from './cases.json'
import cli from './cli.json'
import common from './common.json'
import promises from './promises.json'

export const resources = { common, cases, cli, promises }

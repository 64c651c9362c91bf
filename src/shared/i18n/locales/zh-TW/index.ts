import cases from './cases.json'
import cli from './cli.json'
import common from './common.json'
import report from './report.json'

export const resources = { common, cases, cli, report }

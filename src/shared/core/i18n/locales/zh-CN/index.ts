import cases from './cases.json'
import cli from './cli.json'
import common from './common.json'
import escalations from './escalations.json'
import imports from './imports.json'
import inbox from './inbox.json'
import iceberg from './iceberg.json'
import promises from './promises.json'
import report from './report.json'
import storage from './storage.json'

export const resources = { common, cases, cli, iceberg, storage, promises, escalations, report, imports, inbox }

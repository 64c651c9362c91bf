import attachments from './attachments.json'
import cases from './cases.json'
import cli from './cli.json'
import common from './common.json'
import conversation from './conversation.json'
import escalations from './escalations.json'
import iceberg from './iceberg.json'
import imports from './imports.json'
import inbox from './inbox.json'
import insights from './insights.json'
import live from './live.json'
import print from './print.json'
import promises from './promises.json'
import report from './report.json'
import rubrics from './rubrics.json'
import search from './search.json'
import storage from './storage.json'
import team from './team.json'
import teamdb from './teamdb.json'
import trash from './trash.json'

export const resources = {
  attachments,
  cases,
  cli,
  common,
  conversation,
  escalations,
  iceberg,
  imports,
  inbox,
  insights,
  live,
  print,
  promises,
  report,
  rubrics,
  search,
  storage,
  team,
  teamdb,
  trash,
}

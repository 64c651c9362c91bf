import { AppError } from '../../../shared/core/errors'
import { type ConnectInput, type TeamDatabaseStatus, type TestResult } from '../../../shared/teamDatabase/contract'
import { urlParts } from '../../teamDatabase/url'
import { type DeskControl, type ServiceContext, filesDirOf, sessionOf } from '../context'

/** Which store this desk works on. A CLI command cannot switch: it was started with --db or without. */
export async function teamDatabaseStatus(ctx: ServiceContext): Promise<TeamDatabaseStatus> {
  if (ctx.desk) return ctx.desk.status()
  const session = sessionOf(ctx)
  const isTeam = ctx.store.session !== undefined
  return {
    engine: isTeam ? 'team' : 'folder',
    folder: filesDirOf(ctx),
    team: isTeam ? { ...urlParts(ctx.store.dir), name: session.name, role: session.role } : null,
    memory: isTeam ? 'environment' : null,
    canSwitch: false,
  }
}

export async function testTeamDatabaseService(_ctx: ServiceContext, input: ConnectInput): Promise<TestResult> {
  // `pg` is loaded only by a desk that uses a team database.
  return (await import('../../teamDatabase/probe')).testTeamDatabase(input)
}

function deskOf(ctx: ServiceContext): DeskControl {
  if (ctx.desk) return ctx.desk
  throw new AppError('invalid_input', 'Only the app and serve switch stores: start a command with --db URL', {
    reason: 'teamDatabase.no_desk',
  })
}

export const connectTeamDatabase = (ctx: ServiceContext, input: ConnectInput) => deskOf(ctx).connect(input)
export const disconnectTeamDatabase = (ctx: ServiceContext) => deskOf(ctx).disconnect()

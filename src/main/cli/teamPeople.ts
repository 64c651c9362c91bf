import { type Command } from 'commander'
import { type i18n as I18n } from 'i18next'
import { addPerson, listPeople, removePerson, setRole } from '../services/storage/team'
import { renderTable } from './table'

/**
 * `team add-person`, `team list`, `team set-role`, `team remove`: run as the login in --db, which
 * must be an owner (the database refuses anyone else; the CLI answers `forbidden`, exit code 4).
 */
export function addTeamPeopleCommands(team: Command, t: I18n['t'], needDb: () => string): void {
  team
    .command('add-person')
    .description(t('team:cli.addPerson'))
    .argument('<name>', t('team:cli.name'))
    .requiredOption('--role <role>', t('team:cli.role'))
    .option('--login <login>', t('team:cli.login'))
    .option('--json', t('team:cli.json'))
    .action(async (name: string, options: { role: string; login?: string; json?: boolean }) => {
      const added = await addPerson(needDb(), { name, role: options.role, login: options.login })
      // The password is shown this once: MakeGood keeps no copy (the server keeps only its hash).
      if (options.json) {
        process.stdout.write(`${JSON.stringify({ login: added.login, password: added.password, role: added.role })}\n`)
      } else {
        process.stdout.write(
          `${t('team:cli.added', { name, login: added.login, role: t(`team:role.${added.role}`) })}\n`,
        )
        process.stdout.write(`${t('team:cli.password', { password: added.password })}\n`)
      }
    })
  team
    .command('list')
    .description(t('team:cli.list'))
    .option('--json', t('team:cli.json'))
    .action(async (options: { json?: boolean }) => {
      const people = await listPeople(needDb())
      if (options.json) {
        process.stdout.write(`${JSON.stringify(people)}\n`)
        return
      }
      const rows = [
        [t('team:cli.head.login'), t('team:cli.head.name'), t('team:cli.head.role'), t('team:cli.head.status')],
        ...people.map((p) => [
          p.login,
          p.name,
          t(`team:role.${p.role}`),
          p.isActive ? t('team:cli.active') : t('team:cli.removed'),
        ]),
      ]
      for (const row of renderTable(rows)) process.stdout.write(`${row}\n`)
    })
  team
    .command('set-role')
    .description(t('team:cli.setRole'))
    .argument('<login>', t('team:cli.loginArg'))
    .argument('<role>', t('team:cli.role'))
    .action(async (login: string, role: string) => {
      const person = await setRole(needDb(), login, role)
      process.stdout.write(
        `${t('team:cli.roleSet', { name: person.name, login, role: t(`team:role.${person.role}`) })}\n`,
      )
    })
  team
    .command('remove')
    .description(t('team:cli.remove'))
    .argument('<login>', t('team:cli.loginArg'))
    .action(async (login: string) => {
      const person = await removePerson(needDb(), login)
      process.stdout.write(`${t('team:cli.removedDone', { name: person.name, login })}\n`)
    })
}

import type { CommandScope } from '../commands';
import { discordErrors } from '../errors';
import { json, type Router } from '../router';
import type { World } from '../world';

/** The gateway address, the bot's own user and application, and command registration. */
export function addApplicationRoutes(router: Router, world: World, gatewayUrl: () => string): void {
  const { guild } = world;

  router.add('GET', '/gateway', 'none', () => json({ url: gatewayUrl() }));
  router.add('GET', '/gateway/bot', 'bot', () =>
    json({
      url: gatewayUrl(),
      shards: 1,
      session_start_limit: { total: 1000, remaining: 999, reset_after: 14_400_000, max_concurrency: 1 },
    }),
  );
  router.add('GET', '/users/@me', 'bot', () => json(guild.botUserJson()));
  router.add('GET', '/applications/@me', 'bot', () =>
    json({
      id: guild.applicationId,
      name: guild.bot.username,
      icon: null,
      description: '',
      bot_public: false,
      bot_require_code_grant: false,
      flags: 0,
      bot: guild.botUserJson(),
      owner: guild.userJson({ id: guild.ownerId, username: 'teacher' }),
    }),
  );

  const scopeOf = (params: Record<string, string>): CommandScope => {
    if (params.application !== guild.applicationId) throw discordErrors.missingAccess();
    if (params.guild !== undefined && params.guild !== guild.id) throw discordErrors.missingAccess();
    return params.guild === undefined ? 'global' : 'guild';
  };
  for (const pattern of ['/applications/:application/commands', '/applications/:application/guilds/:guild/commands']) {
    router.add('GET', pattern, 'bot', ({ params }) => json(world.commands.list(scopeOf(params))));
    router.add('PUT', pattern, 'bot', ({ params, body }) => json(world.commands.overwrite(scopeOf(params), body.json)));
  }
}

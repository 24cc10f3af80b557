/** app:info: what the About/settings page shows. */
import type { ChannelRequest, Results } from '../../shared/ipc'
import type { HandlerDeps } from './deps'

export async function appInfo(deps: HandlerDeps, _req: ChannelRequest<'app:info'>): Promise<Results['app:info']> {
  return { ...deps.app }
}

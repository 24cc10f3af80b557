// @vitest-environment happy-dom
import { beforeEach, describe, expect, it } from 'vitest'
import { createPinia, setActivePinia } from 'pinia'
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb'
import { openDataLayer, DEMO_IDS, type DataLayer } from '@app/data'
import { setBackend } from './backend'
import { useSessionStore } from './session'
import { useDocumentsStore } from './documents'

const Q = DEMO_IDS.quotation
let data: DataLayer

beforeEach(async () => {
  localStorage.clear()
  data = await openDataLayer({ name: `inbox-${crypto.randomUUID()}`, indexedDB: new IDBFactory(), IDBKeyRange, seed: true })
  setBackend(data)
  setActivePinia(createPinia())
  await useSessionStore().load()
})

describe('inbox', () => {
  it('brings a pending quotation to the approver (here 赵磊, acting for 陈志远) behind more than 500 newer quotations', async () => {
    await data.documents.transition(Q, 'submit', 'pending', {}, { userId: DEMO_IDS.users.zhangMin, name: '张敏' })
    // 600 quotations changed after it, none waiting on an approver.
    const template = (await data.db.docs.get(Q))!
    await data.db.docs.bulkPut(Array.from({ length: 600 }, (_, i) => ({
      ...template, id: crypto.randomUUID(), number: `BJ2699-T-${String(i).padStart(4, '0')}`,
      state: i % 2 ? 'approved' : 'signed', updatedAt: `2099-01-01T00:${String(Math.floor(i / 60)).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}.000Z`,
    })))

    const session = useSessionStore()
    const zhao = session.users.find((u) => u.id === DEMO_IDS.users.zhaoLei)!
    await session.choose(zhao.id, session.proxyChoices(zhao)[0]!.grant.id)
    const items = await useDocumentsStore().inbox()
    const pending = items.find((i) => i.doc.id === Q)
    expect(pending?.doc.state).toBe('pending')
    expect(pending?.actions.map((a) => a.transition.id).sort()).toEqual(['approve', 'reject'])
    expect(pending?.actions[0]!.actor.actingFor?.name).toBe('陈志远')
    // Only what waits on him: none of the newer quotations.
    expect(items.filter((i) => i.form.id === 'quotation').map((i) => i.doc.id)).toEqual([Q])
  })
})

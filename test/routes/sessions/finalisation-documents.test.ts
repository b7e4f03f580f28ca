import { readdirSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import t from 'tap'
import { moveUploadsIntoDatabase } from '../../../src/features/finalisation/document-storage.ts'
import { EXE, fileForm, PDF, PNG, startedSession } from './fixtures/finalisation-setup.ts'

t.test('a PDF with a comment is stored in the database with its row, listed, and downloaded as an attachment', async (t) => {
  const { server, client, url, session } = await startedSession(t)
  const response = await client.postMultipart(`${url}/documents`, fileForm('PV de fraude été.pdf', PDF, 'application/pdf', 'Signé par le surveillant'))
  t.equal(response.statusCode, 303)
  t.equal(response.headers.location, `${url}#etape-2`)
  const row = await server.db.selectFrom('session_document').selectAll().where('session_id', '=', session.id).executeTakeFirstOrThrow()
  t.equal(row.original_name, 'PV de fraude été.pdf')
  t.equal(row.mime_type, 'application/pdf')
  t.equal(row.size, PDF.length)
  t.equal(row.comment, 'Signé par le surveillant')
  t.match(row.stored_name, /^[0-9a-f]{32}$/)
  t.ok(row.content && Buffer.compare(row.content, PDF) === 0, 'the bytes are in the row (BLOB / bytea)')
  t.same(readdirSync(server.config.uploadsDir), [], 'no file on this instance’s disk')

  const page = await client.get(url)
  t.ok(page.body.includes('Le document « PV de fraude été.pdf » a été ajouté.'))
  t.ok(page.body.includes('Documents transmis') || page.body.includes('Document transmis (1)'))
  t.ok(page.body.includes(`${PDF.length} o`), 'size shown')
  t.ok(page.body.includes('Signé par le surveillant'))

  const download = await client.get(`${url}/documents/${row.id}`)
  t.equal(download.statusCode, 200)
  t.equal(download.headers['content-type'], 'application/pdf')
  t.equal(download.headers['x-content-type-options'], 'nosniff')
  t.match(
    String(download.headers['content-disposition']),
    /^attachment; filename="PV de fraude ete.pdf"; filename\*=UTF-8''PV%20de%20fraude%20%C3%A9t%C3%A9\.pdf$/,
  )
  t.same(download.rawPayload, PDF)
})

t.test('a PNG is accepted by its content; its name gets the right extension', async (t) => {
  const { server, client, url } = await startedSession(t)
  const response = await client.postMultipart(`${url}/documents`, fileForm('capture', PNG, 'application/octet-stream'))
  t.equal(response.statusCode, 303)
  const row = await server.db.selectFrom('session_document').selectAll().executeTakeFirstOrThrow()
  t.equal(row.mime_type, 'image/png')
  t.equal(row.original_name, 'capture.png')
})

t.test('hostile uploads are refused and leave nothing behind', async (t) => {
  const { server, client, url } = await startedSession(t)
  const nothingStored = async (name: string) => {
    t.equal((await server.db.selectFrom('session_document').select('id').execute()).length, 0, `${name}: no row`)
    t.same(readdirSync(server.config.uploadsDir), [], `${name}: no file`)
  }

  const exe = await client.postMultipart(`${url}/documents`, fileForm('rapport.pdf', EXE, 'application/pdf'))
  t.equal(exe.statusCode, 400)
  t.ok(exe.body.includes('Seuls les fichiers PDF, JPEG et PNG sont acceptés'))
  t.ok(exe.body.includes('href="#field-fichier"'))
  await nothingStored('exe')

  const html = await client.postMultipart(`${url}/documents`, fileForm('page.png', Buffer.from('<html><script>alert(1)</script></html>'), 'image/png'))
  t.equal(html.statusCode, 400)
  await nothingStored('html')

  const big = Buffer.concat([PDF, Buffer.alloc(11 * 1024 * 1024 - PDF.length, 0x20)])
  const tooBig = await client.postMultipart(`${url}/documents`, fileForm('gros.pdf', big, 'application/pdf', 'gardé'))
  t.equal(tooBig.statusCode, 400)
  t.ok(tooBig.body.includes('Le fichier dépasse la taille maximale de 10 Mo.'))
  t.ok(tooBig.body.includes('gardé</textarea>'), 'comment kept')
  await nothingStored('11 MB')

  const none = await client.postMultipart(`${url}/documents`, new FormData())
  t.equal(none.statusCode, 400)
  t.ok(none.body.includes('Choisissez un fichier à transmettre.'))

  const longComment = await client.postMultipart(`${url}/documents`, fileForm('pv.pdf', PDF, 'application/pdf', 'x'.repeat(501)))
  t.equal(longComment.statusCode, 400)
  t.ok(longComment.body.includes('500 caractères au maximum.'))
  await nothingStored('long comment')

  const forged = new FormData()
  forged.append('_csrf', 'forged')
  forged.append('fichier', new Blob([new Uint8Array(PDF)]), 'pv.pdf')
  t.equal((await client.postMultipart(`${url}/documents`, forged)).statusCode, 403)
  await nothingStored('forged')
})

t.test('at most 10 documents per session: the 11th is refused', async (t) => {
  const { server, client, url, session } = await startedSession(t)
  for (let i = 1; i <= 10; i++) {
    const response = await client.postMultipart(`${url}/documents`, fileForm(`photo-${i}.png`, PNG, 'image/png'))
    t.equal(response.statusCode, 303, `document ${i}`)
  }
  const page = await client.get(url)
  t.ok(page.body.includes('Cette session contient déjà 10 documents, le maximum.'))
  t.notOk(page.body.includes('id="field-fichier"'), 'no upload field once full')
  const eleventh = await client.postMultipart(`${url}/documents`, fileForm('photo-11.png', PNG, 'image/png'))
  t.equal(eleventh.statusCode, 400)
  t.ok(eleventh.body.includes('Une session ne peut pas contenir plus de 10 documents.'))
  t.equal((await server.db.selectFrom('session_document').select('id').where('session_id', '=', session.id).execute()).length, 10)
  const stored = await server.db.selectFrom('session_document').select('content').where('session_id', '=', session.id).execute()
  t.ok(
    stored.every((r) => r.content && Buffer.compare(r.content, PNG) === 0),
    'each with its bytes',
  )
})

t.test('deleting a document removes it with its bytes', async (t) => {
  const { server, client, url } = await startedSession(t)
  await client.postMultipart(`${url}/documents`, fileForm('pv.pdf', PDF))
  const row = await server.db.selectFrom('session_document').selectAll().executeTakeFirstOrThrow()
  await client.get(url)
  const response = await client.post(`${url}/documents/${row.id}/supprimer`)
  t.equal(response.statusCode, 303)
  t.equal((await server.db.selectFrom('session_document').select('id').execute()).length, 0)
  t.ok((await client.get(url)).body.includes('Le document « pv.pdf » a été supprimé.'))
  t.equal((await client.get(`${url}/documents/${row.id}`)).statusCode, 404)
})

t.test('files an older version left under uploads/ move into their rows at start-up, and are removed', async (t) => {
  const { server, client, url, session } = await startedSession(t)
  await client.postMultipart(`${url}/documents`, fileForm('pv.pdf', PDF))
  const row = await server.db.selectFrom('session_document').select(['id', 'stored_name']).executeTakeFirstOrThrow()
  // As an older version stored it: the row without content, the bytes in a file named by its stored_name.
  await server.db.updateTable('session_document').set({ content: null }).where('id', '=', row.id).execute()
  writeFileSync(path.join(server.config.uploadsDir, row.stored_name), PNG)
  const orphan = 'f'.repeat(32)
  writeFileSync(path.join(server.config.uploadsDir, orphan), PDF)
  t.equal((await client.get(`${url}/documents/${row.id}`)).statusCode, 404, 'before the move: not in the database')

  t.same(await moveUploadsIntoDatabase(server.db, server.config.uploadsDir), { moved: 1, orphans: 1 })
  t.same(readdirSync(server.config.uploadsDir), [], 'both files removed: the moved one and the orphan a crash left')
  const download = await client.get(`${url}/documents/${row.id}`)
  t.equal(download.statusCode, 200)
  t.same(download.rawPayload, PNG, 'served from the database')
  t.same(await moveUploadsIntoDatabase(server.db, server.config.uploadsDir), { moved: 0, orphans: 0 }, 'again: nothing to do')
  t.equal((await server.db.selectFrom('session_document').select('id').where('session_id', '=', session.id).execute()).length, 1)
})

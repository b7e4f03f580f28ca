import t from 'tap'
import { attachmentHeader, documentDisplayName, documentProblem, MAX_DOCUMENT_BYTES, sniffDocumentType } from '../../../src/features/finalisation/documents.ts'

t.test('file type comes from the magic bytes', async (t) => {
  t.equal(await sniffDocumentType(Buffer.from('%PDF-1.7\n...')), 'application/pdf')
  t.equal(await sniffDocumentType(Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10])), 'image/jpeg')
  const png = Buffer.concat([Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489', 'hex'), Buffer.alloc(64)])
  t.equal(await sniffDocumentType(png), 'image/png')
  t.equal(await sniffDocumentType(png.subarray(0, 9)), null, 'a PNG signature alone is not an image')
  t.equal(await sniffDocumentType(Buffer.from('MZ\x90\x00', 'latin1')), null, 'a Windows executable')
  t.equal(await sniffDocumentType(Buffer.from('<html><script>alert(1)</script>')), null)
  t.equal(await sniffDocumentType(Buffer.from('%PD')), null, 'too short')
  t.equal(await sniffDocumentType(Buffer.alloc(0)), null)
  t.equal(await sniffDocumentType(Buffer.from('GIF89a')), null)
  t.equal(await sniffDocumentType(Buffer.from('RIFF\x24\x00\x00\x00WEBPVP8 ', 'latin1')), null, 'an image type file-type knows, but not accepted')
})

t.test('upload problems: count, size (truncated or over), emptiness, type', async (t) => {
  const fine = { size: 1000, truncated: false, type: 'application/pdf' as const, existingCount: 0 }
  t.equal(documentProblem(fine), null)
  t.equal(documentProblem({ ...fine, existingCount: 9 }), null)
  t.same(documentProblem({ ...fine, existingCount: 10 }), { key: 'finalisation.documents.error.too_many', params: { max: 10 } })
  t.equal(documentProblem({ ...fine, truncated: true })?.key, 'finalisation.documents.error.too_large')
  t.equal(documentProblem({ ...fine, size: MAX_DOCUMENT_BYTES + 1 })?.key, 'finalisation.documents.error.too_large')
  t.equal(documentProblem({ ...fine, size: MAX_DOCUMENT_BYTES }), null)
  t.equal(documentProblem({ ...fine, size: 0, type: null })?.key, 'finalisation.documents.error.empty')
  t.equal(documentProblem({ ...fine, type: null })?.key, 'finalisation.documents.error.type')
})

t.test('display name: no folders or control characters, an extension that matches the content', async (t) => {
  t.equal(documentDisplayName('PV de fraude.pdf', 'application/pdf'), 'PV de fraude.pdf')
  t.equal(documentDisplayName('C:\\Users\\paul\\photo.JPG', 'image/jpeg'), 'photo.JPG')
  t.equal(documentDisplayName('../../etc/passwd', 'application/pdf'), 'passwd.pdf')
  t.equal(documentDisplayName('capture.pdf', 'image/png'), 'capture.pdf.png', 'a PNG is never offered as a .pdf')
  t.equal(documentDisplayName('a\u0000b\r\n"c".png', 'image/png'), 'abc.png')
  t.equal(documentDisplayName('', 'image/jpeg'), 'document.jpg')
  t.equal(documentDisplayName('.htaccess', 'application/pdf'), 'document.htaccess.pdf')
  t.ok(documentDisplayName('x'.repeat(400), 'application/pdf').length <= 154)
})

t.test('attachment header: ASCII fallback and exact UTF-8 name', async (t) => {
  t.equal(attachmentHeader('PV été.pdf'), `attachment; filename="PV ete.pdf"; filename*=UTF-8''PV%20%C3%A9t%C3%A9.pdf`)
  t.equal(attachmentHeader('日本.pdf'), `attachment; filename=.pdf; filename*=UTF-8''%E6%97%A5%E6%9C%AC.pdf`)
  t.equal(attachmentHeader('taux 100%.pdf'), `attachment; filename="taux 100_.pdf"; filename*=UTF-8''taux%20100%25.pdf`, 'no % in the plain name')
  t.equal(attachmentHeader('rapport "final".pdf'), `attachment; filename="rapport \\"final\\".pdf"`, 'quotes escaped by content-disposition')
})

/** Where the payload shows in a page, it must be fully escaped: no raw `<script>`, no raw quote or ampersand after it. */
const ESCAPED_TAIL = /^&lt;\/script&gt;(&quot;|&#34;|&#x22;)(&#39;|&#x27;|&apos;)(&amp;|&#38;)/

export function escapingProblems(body: string): { shown: number; problems: string[] } {
  const problems: string[] = []
  if (body.includes('<script>alert(1)')) problems.push('raw <script>alert(1) in the page')
  let shown = 0
  for (let i = body.indexOf('alert(1)'); i !== -1; i = body.indexOf('alert(1)', i + 1)) {
    const head = body.slice(Math.max(0, i - 14), i)
    const tail = body.slice(i + 8, i + 8 + 40)
    if (head === '&lt;script&gt;' && ESCAPED_TAIL.test(tail)) shown++
    else problems.push(`not escaped as HTML text: …${body.slice(Math.max(0, i - 40), i + 50)}…`)
  }
  return { shown, problems }
}

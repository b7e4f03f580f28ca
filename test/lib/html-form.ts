/** A form of a page, read the way a browser would submit it (enough for our own server-rendered forms). */
export interface HtmlForm {
  action: string
  method: string
  enctype: string
  fields: Array<{ name: string; value: string; type: string; checked: boolean }>
  buttons: Array<{ name: string; value: string; text: string }>
}

const attr = (tag: string, name: string) => {
  const m = new RegExp(`\\s${name}\\s*=\\s*("([^"]*)"|'([^']*)'|([^\\s>]+))`, 'i').exec(tag)
  return m ? decode(m[2] ?? m[3] ?? m[4] ?? '') : null
}
const has = (tag: string, name: string) => new RegExp(`\\s${name}(\\s|=|>|/)`, 'i').test(tag)
const decode = (s: string) =>
  s
    .replace(/&quot;|&#34;/g, '"')
    .replace(/&#39;|&#x27;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&')

export function parseForms(html: string): HtmlForm[] {
  const forms: HtmlForm[] = []
  for (const m of html.matchAll(/<form\b([^>]*)>([\s\S]*?)<\/form>/gi)) {
    const [, open, inner] = m
    const form: HtmlForm = {
      action: attr(`<form ${open}>`, 'action') ?? '',
      method: (attr(`<form ${open}>`, 'method') ?? 'get').toUpperCase(),
      enctype: attr(`<form ${open}>`, 'enctype') ?? '',
      fields: [],
      buttons: [],
    }
    for (const tag of inner!.matchAll(/<input\b[^>]*>/gi)) {
      const t = tag[0]
      const name = attr(t, 'name')
      const type = (attr(t, 'type') ?? 'text').toLowerCase()
      if (!name) continue
      if (type === 'submit') form.buttons.push({ name, value: attr(t, 'value') ?? '', text: attr(t, 'value') ?? '' })
      else form.fields.push({ name, value: attr(t, 'value') ?? (type === 'checkbox' ? 'on' : ''), type, checked: has(t, 'checked') })
    }
    for (const tag of inner!.matchAll(/<textarea\b([^>]*)>([\s\S]*?)<\/textarea>/gi)) {
      const name = attr(`<t ${tag[1]}>`, 'name')
      if (name) form.fields.push({ name, value: decode(tag[2]!), type: 'textarea', checked: false })
    }
    for (const tag of inner!.matchAll(/<select\b([^>]*)>([\s\S]*?)<\/select>/gi)) {
      const name = attr(`<s ${tag[1]}>`, 'name')
      const options = [...tag[2]!.matchAll(/<option\b([^>]*)>([\s\S]*?)<\/option>/gi)]
      const chosen = options.find((o) => has(`<o ${o[1]}>`, 'selected')) ?? options.find((o) => attr(`<o ${o[1]}>`, 'value'))
      if (name && chosen) form.fields.push({ name, value: attr(`<o ${chosen[1]}>`, 'value') ?? chosen[2]!.trim(), type: 'select', checked: false })
    }
    for (const tag of inner!.matchAll(/<button\b([^>]*)>([\s\S]*?)<\/button>/gi)) {
      const type = (attr(`<b ${tag[1]}>`, 'type') ?? 'submit').toLowerCase()
      if (type === 'submit')
        form.buttons.push({
          name: attr(`<b ${tag[1]}>`, 'name') ?? '',
          value: attr(`<b ${tag[1]}>`, 'value') ?? '',
          text: tag[2]!.replace(/<[^>]+>/g, '').trim(),
        })
    }
    forms.push(form)
  }
  return forms
}

/**
 * The urlencoded body a user would send: checkboxes all ticked, all unticked or as they are, the first radio of each
 * group unless one is checked, and the button whose text matches `button` (else the first).
 */
export function fillForm(form: HtmlForm, options: { checkboxes?: 'all' | 'none' | 'as-is'; button?: RegExp } = {}): URLSearchParams {
  const body = new URLSearchParams()
  const radios = new Set<string>()
  for (const f of form.fields) {
    if (f.type === 'file') continue
    if (f.type === 'checkbox') {
      const mode = options.checkboxes ?? 'as-is'
      if (mode === 'all' || (mode === 'as-is' && f.checked)) body.append(f.name, f.value)
    } else if (f.type === 'radio') {
      const checked = form.fields.find((g) => g.type === 'radio' && g.name === f.name && g.checked)
      if (!radios.has(f.name) && (!checked || checked === f)) {
        body.append(f.name, f.value)
        radios.add(f.name)
      }
    } else body.append(f.name, f.value)
  }
  const button = (options.button && form.buttons.find((b) => options.button!.test(b.text))) || form.buttons[0]
  if (button?.name) body.append(button.name, button.value)
  return body
}

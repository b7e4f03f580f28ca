// Small enhancements only: every page works fully without this script.
// A button with data-copy="ID" copies the text of element #ID (e.g. the access code).
document.addEventListener('click', (event) => {
  const button = event.target instanceof Element ? event.target.closest('[data-copy]') : null
  if (!button) return
  const source = document.getElementById(button.getAttribute('data-copy'))
  if (!source || !navigator.clipboard) return
  navigator.clipboard.writeText(source.textContent.trim()).then(() => {
    const label = button.getAttribute('data-copied')
    const original = button.innerHTML
    button.textContent = label
    setTimeout(() => {
      button.innerHTML = original
    }, 2000)
  })
})
// Copy buttons need this script, so it adds them: after each element with data-copy-label, a
// "Copier" button (its data-copy-hidden part for screen readers), never a dead control without it.
document.querySelectorAll('[data-copy-label][id]').forEach((source) => {
  const button = document.createElement('button')
  button.type = 'button'
  button.className = 'button button--small button--secondary'
  button.setAttribute('data-copy', source.id)
  button.setAttribute('data-copied', source.getAttribute('data-copied') || '')
  button.textContent = source.getAttribute('data-copy-label')
  const hidden = source.getAttribute('data-copy-hidden')
  if (hidden) {
    const span = document.createElement('span')
    span.className = 'visually-hidden'
    span.textContent = ` ${hidden}`
    button.appendChild(span)
  }
  source.after(' ', button)
})

// Live "N / 500" under text areas whose counter (.char-counter, linked by aria-describedby) says the
// limit: without the script it reads once ("500 caractères au maximum"); the script shows the count
// and keeps that sentence for screen readers.
document.querySelectorAll('textarea[aria-describedby]').forEach((area) => {
  const counter = area
    .getAttribute('aria-describedby')
    .split(' ')
    .map((id) => document.getElementById(id))
    .find((el) => el && el.classList.contains('char-counter'))
  if (!counter) return
  const max = Number(counter.getAttribute('data-max'))
  const limit = document.createElement('span')
  limit.className = 'visually-hidden'
  limit.textContent = counter.getAttribute('data-limit') || ''
  const shown = document.createElement('span')
  shown.setAttribute('aria-hidden', 'true')
  counter.replaceChildren(shown, limit)
  const update = () => {
    const length = area.value.replace(/\r\n?/g, '\n').length
    shown.textContent = `${length} / ${max}`
  }
  area.addEventListener('input', update)
  update()
})

// Espace surveillant: the candidate list refreshes itself every 5 seconds from its fragment URL
// (the page keeps its "Actualiser la liste" button and works without this). Only rows that changed
// are replaced, so nothing flickers and the focused button keeps its focus; the bulk form's ticks
// follow and stay ticked. Paused while a confirmation step or a form of a row is open, and while
// the tab is hidden.
;(() => {
  const list = document.getElementById('supervision-list')
  const url = list && list.getAttribute('data-refresh-url')
  if (!url) return
  const REFRESH_MS = 5000
  // Each render has fresh CSRF tokens: they do not make a row "changed".
  const key = (el) => (el ? el.innerHTML.replace(/name="_csrf" value="[^"]*"/g, '') : '')
  const paused = () => document.hidden || list.hasAttribute('data-refresh-paused') || list.querySelector('[data-step]')

  function focusOf(el) {
    const active = document.activeElement
    if (!el || !active || !el.contains(active)) return null
    const form = active.closest('form')
    return { action: form && form.getAttribute('action'), href: active.getAttribute('href'), row: active.closest('li[id]') }
  }
  function restoreFocus(container, focus) {
    if (!focus) return
    let target = null
    if (focus.action) target = container.querySelector(`form[action="${CSS.escape(focus.action)}"] button`)
    if (!target && focus.href) target = container.querySelector(`a[href="${CSS.escape(focus.href)}"]`)
    if (!target && focus.row) {
      target = container.querySelector(`#${CSS.escape(focus.row.id)}`) || container
      target.setAttribute('tabindex', '-1')
    }
    if (target) target.focus({ preventScroll: true })
  }
  function swap(current, fresh) {
    if (!current || !fresh || key(current) === key(fresh)) return
    const focus = focusOf(current)
    current.replaceWith(fresh)
    restoreFocus(fresh, focus)
  }
  // The bulk form's ticks follow the list (a candidate who arrives can be ticked), and what is
  // ticked stays ticked; a focused box keeps its focus.
  function updateTicks(freshTicks) {
    const ticks = document.querySelector('.supervision-bulk__list')
    const freshList = freshTicks && freshTicks.querySelector('.supervision-bulk__list')
    if (!ticks || !freshList) return
    const ticked = new Set([...ticks.querySelectorAll('input:checked')].map((box) => box.value))
    freshList.querySelectorAll('input').forEach((box) => {
      box.checked = ticked.has(box.value)
    })
    const label = (li) => (li ? li.textContent : '')
    const old = new Map([...ticks.children].map((li) => [li.querySelector('input') && li.querySelector('input').id, li]))
    const same = [...freshList.children].map((li) => old.get(li.querySelector('input') && li.querySelector('input').id))
    if (same.length === ticks.children.length && same.every((li, i) => li === ticks.children[i])) {
      ;[...freshList.children].forEach((li, i) => {
        if (label(same[i]) !== label(li)) same[i].querySelector('label').replaceWith(li.querySelector('label'))
      })
      return
    }
    // Candidates added, removed or in another order: the boxes already there are moved, not replaced.
    const items = [...freshList.children].map((li) => {
      const kept = old.get(li.querySelector('input') && li.querySelector('input').id)
      if (!kept) return li
      if (label(kept) !== label(li)) kept.querySelector('label').replaceWith(li.querySelector('label'))
      return kept
    })
    const focused = document.activeElement
    ticks.replaceChildren(...items)
    if (focused && focused !== document.activeElement && ticks.contains(focused)) focused.focus({ preventScroll: true })
  }
  function update(html) {
    const fresh = new DOMParser().parseFromString(`<div>${html}</div>`, 'text/html').body.firstElementChild
    if (!fresh) return
    const freshTicks = fresh.querySelector('[data-bulk-ticks]')
    if (freshTicks) freshTicks.remove()
    updateTicks(freshTicks)
    const status = list.querySelector('.supervision-status')
    const freshStatus = fresh.querySelector('.supervision-status')
    // The time of the last update changes every time: it is set as text, not by replacing the block.
    const time = status && status.querySelector('.supervision-updated')
    const freshTime = freshStatus && freshStatus.querySelector('.supervision-updated')
    if (time && freshTime) {
      time.textContent = freshTime.textContent
      time.setAttribute('data-time', freshTime.getAttribute('data-time') || '')
    }
    const count = status && status.querySelector('.supervision-count')
    const freshCount = freshStatus && freshStatus.querySelector('.supervision-count')
    if (count && freshCount && count.textContent !== freshCount.textContent) count.innerHTML = freshCount.innerHTML

    // The counters that filter follow the list; a focused counter keeps its focus.
    swap(status && status.querySelector('#supervision-needs'), freshStatus && freshStatus.querySelector('#supervision-needs'))
    // The whole room's pause changes without any row being added.
    swap(list.querySelector('#salle'), fresh.querySelector('#salle'))

    const rows = list.querySelector('.supervision-list')
    const freshRows = fresh.querySelector('.supervision-list')
    const ids = (ol) => [...ol.children].map((li) => li.id).join(' ')
    if (rows && freshRows && ids(rows) === ids(freshRows)) {
      ;[...freshRows.children].forEach((li) => swap(document.getElementById(li.id), li))
      return
    }
    // Candidates added or removed, or the empty state: the list is rebuilt, the focus put back.
    const focus = focusOf(list)
    const kept = (el) => el.classList.contains('supervision-status') || el.id === 'salle'
    const keep = [...list.children].filter((el) => !kept(el))
    keep.forEach((el) => el.remove())
    ;[...fresh.children].filter((el) => !kept(el)).forEach((el) => list.appendChild(el))
    restoreFocus(list, focus)
  }
  // The list as last received: the server answers 304 while it has not changed, with the time of
  // the check for the "up to date at" line.
  let etag = null
  function touch(response) {
    const time = list.querySelector('.supervision-updated')
    const now = response.headers.get('Certisalle-Updated')
    const before = time && time.getAttribute('data-time')
    if (!time || !now || !before) return
    time.textContent = time.textContent.replace(before, now)
    time.setAttribute('data-time', now)
  }
  async function refresh() {
    if (paused()) return
    try {
      const headers = { Accept: 'text/html' }
      if (etag) headers['If-None-Match'] = etag
      const response = await fetch(url, { credentials: 'same-origin', cache: 'no-store', headers })
      // An access that ended (left, new password, finalised) is sent elsewhere: show why.
      if (response.redirected || response.status === 409) return window.location.reload()
      if (response.status === 304) return touch(response)
      if (!response.ok) return
      etag = response.headers.get('ETag')
      update(await response.text())
    } catch {
      // Offline for a moment: the next tick tries again.
    }
  }
  setInterval(refresh, REFRESH_MS)
})()

// Convocations being sent (Candidats tab): the page reloads every 5 seconds until none is waiting,
// unless a candidate has been ticked meanwhile (the "Actualiser" button works without this).
const sending = document.querySelector('[data-reload-while-pending]')
if (sending) {
  setTimeout(() => {
    const ticked = document.querySelector('#convocations-form input[name="candidats"]:checked')
    if (!ticked && !document.hidden) window.location.reload()
  }, 5000)
}

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
    setTimeout(() => { button.innerHTML = original }, 2000)
  })
})
// Copy buttons are hidden until this script runs (they need it).
document.querySelectorAll('[data-copy][hidden]').forEach((button) => button.removeAttribute('hidden'))

// Live "N / 500" under text areas whose counter (.char-counter, linked by aria-describedby) shows the limit.
document.querySelectorAll('textarea[aria-describedby]').forEach((area) => {
  const counter = area
    .getAttribute('aria-describedby')
    .split(' ')
    .map((id) => document.getElementById(id))
    .find((el) => el && el.classList.contains('char-counter'))
  const shown = counter && counter.querySelector('[aria-hidden="true"]')
  if (!shown) return
  const max = Number(counter.getAttribute('data-max'))
  const update = () => {
    const length = area.value.replace(/\r\n?/g, '\n').length
    shown.textContent = `${length} / ${max}`
  }
  area.addEventListener('input', update)
  update()
})

// Tiny DOM helpers shared by figures.

// el('p', 'lr-note', 'text') → <p class="lr-note">text</p>
export function element(tag, className, text) {
  const el = document.createElement(tag);
  if (className) el.className = className;
  if (text !== undefined) el.textContent = text;
  return el;
}

// A button of type "button" that calls onClick.
export function button(label, onClick, className) {
  const b = element('button', className, label);
  b.type = 'button';
  b.addEventListener('click', onClick);
  return b;
}

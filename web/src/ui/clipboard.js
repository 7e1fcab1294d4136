// Copying text for the reader, with a fallback where the clipboard is closed.

// Copies `text` to the clipboard; where the Clipboard API is missing or
// refused (insecure page, no permission), selects `fallback` (an input,
// textarea or any element) so the reader can press Ctrl/⌘+C. Resolves to
// true when the text was copied.
export async function copyText(text, fallback) {
  try {
    if (navigator.clipboard?.writeText) {
      await navigator.clipboard.writeText(text);
      return true;
    }
  } catch {
    // fall through to selecting the text
  }
  if (fallback) {
    if (typeof fallback.select === 'function') {
      fallback.focus();
      fallback.select();
    } else {
      const range = document.createRange();
      range.selectNodeContents(fallback);
      const selection = getSelection();
      selection.removeAllRanges();
      selection.addRange(range);
    }
  }
  return false;
}

// Applies the reader's saved theme before the page paints (a classic,
// blocking script on purpose: no flash of the wrong theme). article.js owns
// the toggle itself.
try {
  const theme = localStorage.getItem('lrlab-theme');
  if (theme === 'light' || theme === 'dark') document.documentElement.dataset.theme = theme;
} catch {
  // storage blocked: follow the system preference
}

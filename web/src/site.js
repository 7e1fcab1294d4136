// The site's root URL: the folder holding index.html, embed.html, lrlab.js
// and embed-resize.js. This module sits one level below it both in web/
// (web/src/site.js) and in dist/ (bundled into dist/assets/), so "../" from
// here is the root in both. (A variable, not a literal, keeps the dist
// build's asset rewriting away from it.)
const UP = '../';
export const SITE_ROOT = new URL(UP, import.meta.url);

// embed-resize.js — a classic script for pages that embed lrlab figures in
// iframes. It sizes every <iframe src=".../embed.html?…"> to its content:
// the embed page posts {type: 'lrlab:height', height, figure}; this script
// accepts only messages of exactly that shape (a height in [0, 50 000] px,
// the figure= of the iframe's address), coming from one of those iframes'
// windows and from the iframe's own origin. Anything else is ignored.
//   <iframe src="https://example.org/lrlab/embed.html?figure=schedules" …></iframe>
//   <script src="https://example.org/lrlab/embed-resize.js" async></script>
// Frames with class="lrlab-embed" (as in each figure's embed code) also lose
// their default border.
(function () {
  'use strict';
  if (window.lrlabEmbedResize) return;
  window.lrlabEmbedResize = true;

  function embedUrl(frame) {
    var src = frame.getAttribute('src');
    if (!src) return null;
    try {
      var url = new URL(src, document.baseURI);
      return /(^|\/)embed\.html$/.test(url.pathname) ? url : null;
    } catch (e) {
      return null;
    }
  }

  function embedFrames() {
    var all = document.getElementsByTagName('iframe');
    var found = [];
    for (var i = 0; i < all.length; i++) if (embedUrl(all[i])) found.push(all[i]);
    return found;
  }

  function ask(frame) {
    var url = embedUrl(frame);
    if (!url || !frame.contentWindow) return;
    try {
      frame.contentWindow.postMessage({ type: 'lrlab:request-height' }, url.origin === 'null' ? '*' : url.origin);
    } catch (e) { /* not loaded yet */ }
  }

  var MAX_HEIGHT = 50000;

  // Whether `data` is a height message: a plain object with exactly the keys
  // type, height and figure.
  function isHeightMessage(data) {
    if (!data || typeof data !== 'object' || Object.getPrototypeOf(data) !== Object.prototype) return false;
    if (Object.keys(data).sort().join() !== 'figure,height,type') return false;
    var height = data.height;
    return data.type === 'lrlab:height' && typeof data.figure === 'string' &&
      typeof height === 'number' && isFinite(height) && height >= 0 && height <= MAX_HEIGHT;
  }

  window.addEventListener('message', function (event) {
    var data = event.data;
    if (!event.source || !isHeightMessage(data)) return;
    var frames = embedFrames();
    for (var i = 0; i < frames.length; i++) {
      var frame = frames[i];
      if (frame.contentWindow !== event.source) continue;
      var url = embedUrl(frame);
      if (url.origin !== event.origin || data.figure !== (url.searchParams.get('figure') || '')) return;
      frame.style.height = Math.ceil(data.height) + 'px';
      // The embed code lrlab offers marks its frames with this class instead
      // of an inline style="border: 0" (a strict style-src refuses those).
      if (frame.classList.contains('lrlab-embed')) frame.style.border = '0';
      return;
    }
  });

  function start() {
    var frames = embedFrames();
    for (var i = 0; i < frames.length; i++) {
      ask(frames[i]);
      frames[i].addEventListener('load', function (e) { ask(e.target); });
    }
  }
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
})();

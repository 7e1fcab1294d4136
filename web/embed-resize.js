// embed-resize.js — a classic script for pages that embed lrlab figures in
// iframes. It sizes every <iframe src=".../embed.html?…"> to its content:
// the embed page posts {type: 'lrlab:height', height, figure}; this script
// accepts only messages of that shape, coming from one of those iframes'
// windows and from the iframe's own origin.
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

  window.addEventListener('message', function (event) {
    var data = event.data;
    if (!data || typeof data !== 'object' || data.type !== 'lrlab:height') return;
    var height = data.height;
    if (typeof height !== 'number' || !isFinite(height) || height < 0 || height > 50000) return;
    var frames = embedFrames();
    for (var i = 0; i < frames.length; i++) {
      var frame = frames[i];
      if (frame.contentWindow !== event.source) continue;
      if (embedUrl(frame).origin !== event.origin) return;
      frame.style.height = Math.ceil(height) + 'px';
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

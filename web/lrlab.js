// The public entry for other people's pages: defines <lrlab-figure>.
//   <script type="module" src=".../lrlab.js"></script>
//   <lrlab-figure name="schedules"></lrlab-figure>
// Every figure on the page shares one Worker and one WASM instance.
import './src/lrlab-figure.js';

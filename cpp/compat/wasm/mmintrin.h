/* Emscripten 3.1.6 ships SSE-to-SIMD128 headers (xmmintrin.h, emmintrin.h, …)
   but not mmintrin.h, which Eigen includes before them when it enables its
   SSE code path. Eigen uses no MMX intrinsics, so an empty header is enough.
   Only on the include path of WebAssembly builds with LRLAB_WASM_SIMD. */
#ifndef LRLAB_COMPAT_MMINTRIN_H
#define LRLAB_COMPAT_MMINTRIN_H
#endif

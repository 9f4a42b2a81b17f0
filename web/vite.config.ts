import { defineConfig } from 'vite';

// The bundle lands where Maven packs classpath resources: the server serves it at `/`.
export default defineConfig({
  // Relative URLs throughout, so the workspace also works under a proxy's path prefix.
  base: './',
  build: {
    outDir: '../target/classes/web',
    emptyOutDir: true,
    // Everything comes from the bundle: no inlined scripts (the page's CSP allows only 'self').
    assetsInlineLimit: 0,
    sourcemap: false,
  },
  server: {
    // `npm run dev` next to `./refrain serve`: the API answers from the real server.
    proxy: { '/api': 'http://localhost:8080', '/account': 'http://localhost:8080', '/files': 'http://localhost:8080' },
  },
});

import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// Served by the API process under /portal (src/api/portal.ts); `vite dev` serves the same base, for
// PORTAL_PROXY_URL. Hashed file names under assets/ let the server cache them for a year.
export default defineConfig({
  root: import.meta.dirname,
  base: '/portal/',
  plugins: [react()],
  build: { outDir: 'dist', emptyOutDir: true, assetsDir: 'assets', sourcemap: false, chunkSizeWarningLimit: 700 },
  server: { port: 5173, strictPort: true },
});

import path from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The console is static files behind the bank's gateway, which also forwards /api to the BFF.
export default defineConfig({
  root: __dirname,
  base: './',
  plugins: [react()],
  // The same aliases as console/tsconfig.json.
  resolve: { alias: { '@': path.join(__dirname, 'src'), '@shared': path.join(__dirname, '../shared') } },
  build: {
    outDir: path.join(__dirname, 'dist'),
    emptyOutDir: true,
    manifest: 'manifest.json',
    target: 'es2020',
    chunkSizeWarningLimit: 1200,
    reportCompressedSize: false,
  },
  logLevel: 'warn',
});

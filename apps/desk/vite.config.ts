import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The gateway serves the built desk at /desk/ (gateway/src/plugins/desk-static.ts); `npm run dev -w @clinic/desk`
// serves it at :5173 and forwards the API to a gateway on :4000.
export default defineConfig({
  base: '/desk/',
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: false,
    // The desk, and the developers' GraphiQL the gateway serves at /graphiql outside production.
    rollupOptions: { input: { desk: 'index.html', graphiql: 'graphiql.html' } },
    chunkSizeWarningLimit: 8000,
  },
  server: { proxy: { '/graphql': 'http://127.0.0.1:4000', '/dev': 'http://127.0.0.1:4000', '/desk/config.json': 'http://127.0.0.1:4000' } },
});

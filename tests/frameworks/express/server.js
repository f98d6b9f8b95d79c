// Serves both APIs on 127.0.0.1:<port> (first argument, default 3000).
const { createApp } = require('./src/app');

const port = Number(process.argv[2] || process.env.PORT || 3000);
const host = process.env.HOST || '127.0.0.1';

createApp().listen(port, host, (error) => {
  if (error) throw error;
  console.log(`flight APIs listening on http://${host}:${port}`);
});

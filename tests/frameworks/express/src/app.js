const express = require('express');

const garuda = require('./garuda/router');
const flights = require('./flightsayer/flights-router');
const subscriptions = require('./flightsayer/subscriptions-router');
const admin = require('./admin/router');
const notifier = require('./flightsayer/notifier');

function createApp() {
  notifier.start();
  const app = express();
  // express.json() with its defaults: 100kb limit, its own 400/413 answered by Express's default error handler.
  app.use(express.json());

  app.use('/v2/flight_sessions', garuda);
  app.use('/flights/v1', flights);
  app.use('/subscriptions', subscriptions);
  app.use('/admin', admin);
  // Unrouted paths and methods fall through to Express's own 404 ("Cannot PATCH /...").
  return app;
}

module.exports = { createApp };

// /flights/v1/status/:flightId and /flights/v1/search.
const express = require('express');

const catalog = require('./catalog');
const { requireUser } = require('./auth');
const { fieldErrors } = require('./errors');
const { knownFlight } = require('./flight-param');
const { pageRequest, paginate } = require('./pagination');
const query = require('./query');
const { statusOf } = require('./status');

const router = express.Router();
const FILTERS = ['departure_airport', 'arrival_airport', 'earliest_departure', 'latest_departure'];

router.get('/status/:flightId', requireUser, knownFlight, (req, res) => res.json(statusOf(req.flight)));

router.get('/search', requireUser, (req, res) => {
  const found = catalog.search({
    departureAirport: query.airport(req.query, 'departure_airport'),
    arrivalAirport: query.airport(req.query, 'arrival_airport'),
    earliestMs: query.instant(req.query, 'earliest_departure'),
    latestMs: query.instant(req.query, 'latest_departure'),
  });
  const filters = Object.fromEntries(FILTERS.filter((name) => req.query[name] !== undefined)
    .map((name) => [name, req.query[name]]));
  const page = paginate(req, found, pageRequest(req.query), filters);
  res.json({ ...page, results: page.results.map((flight) => statusOf(flight)) });
});

router.use(fieldErrors);

module.exports = router;

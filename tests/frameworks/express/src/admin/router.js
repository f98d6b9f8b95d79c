// Private operations endpoint (not part of either API): changes a flight's real-time status, as the airline's feed
// would. Answers only callers on this machine. POST /admin/flights/:flightId/events {"kind": "delay", "minutes": 23}
// or {"kind": "cancellation"}.
const express = require('express');

const catalog = require('../flightsayer/catalog');
const { statusOf } = require('../flightsayer/status');

const router = express.Router();
const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);

router.use((req, res, next) => {
  if (!LOOPBACK.has(req.socket.remoteAddress)) return res.status(403).json({ detail: 'Local callers only.' });
  next();
});

router.post('/flights/:flightId/events', (req, res) => {
  const flight = catalog.find(req.params.flightId);
  if (!flight) return res.status(404).json({ detail: 'No such flight.' });
  const { kind, minutes } = req.body ?? {};
  try {
    if (kind === 'delay') {
      if (!Number.isInteger(minutes) || minutes <= 0) {
        return res.status(400).json({ detail: 'A delay needs a positive whole number of minutes.' });
      }
      catalog.delay(flight.id, minutes);
    } else if (kind === 'cancellation') {
      catalog.cancel(flight.id);
    } else {
      return res.status(400).json({ detail: 'kind must be "delay" or "cancellation".' });
    }
  } catch (error) {
    if (error instanceof catalog.FlightClosed) return res.status(409).json({ detail: error.message });
    throw error;
  }
  res.json(statusOf(flight));
});

module.exports = router;

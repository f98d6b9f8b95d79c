// /subscriptions/ and /subscriptions/:flightId, each user's own.
const express = require('express');

const { requireUser } = require('./auth');
const { FieldError, notFound, fieldErrors } = require('./errors');
const { knownFlight } = require('./flight-param');
const { pageRequest, paginate } = require('./pagination');
const subscriptions = require('./subscriptions');
const mutant = require('../mutant');

const router = express.Router();

// "url to which POST requests indicating change to flight status will be sent": an absolute http(s) URL.
function targetOf(body) {
  const target = body?.target;
  if (typeof target !== 'string' || target === '') throw new FieldError('target', 'This field is required.');
  let url;
  try {
    // The WHATWG parser forgives spaces and non-ASCII; a URL has neither (RFC 3986).
    url = /^[\x21-\x7e]+$/.test(target) ? new URL(target) : null;
  } catch {
    url = null;
  }
  if (!url || !['http:', 'https:'].includes(url.protocol) || !url.hostname) {
    throw new FieldError('target', 'Enter a valid URL.');
  }
  return target;
}

router.get('/', requireUser, (req, res) => {
  const page = paginate(req, subscriptions.listOf(req.user), pageRequest(req.query));
  res.json({ ...page, results: page.results.map(subscriptions.present) });
});

router.put('/:flightId', requireUser, knownFlight, (req, res) => {
  const { subscription, created } = subscriptions.put(req.user, req.flight.id, targetOf(req.body));
  res.status(created || mutant('update_answers_201') ? 201 : 200).json(subscriptions.present(subscription));
});

router.get('/:flightId', requireUser, knownFlight, (req, res) => {
  const subscription = subscriptions.get(req.user, req.flight.id);
  if (!subscription) return notFound(res);
  res.json(subscriptions.present(subscription));
});

router.delete('/:flightId', requireUser, knownFlight, (req, res) => {
  if (!subscriptions.remove(req.user, req.flight.id)) return notFound(res);
  res.status(204).end();
});

router.use(fieldErrors);

module.exports = router;

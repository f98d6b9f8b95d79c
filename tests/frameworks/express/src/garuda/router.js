// Garuda flight sessions: /v2/flight_sessions and /v2/flight_sessions/:id, every answer in {success, data}.
const express = require('express');

const { requireCompany } = require('./auth');
const sessions = require('./sessions');
const mutant = require('../mutant');

const router = express.Router();
const TIMES = ['start_date_time', 'end_date_time'];
const REFERENCES = ['deployment_id', 'flight_plan_id'];
const EDITABLE = [...REFERENCES, ...TIMES];

class Invalid extends Error {}

const ok = (res, data) => res.json({ success: true, data });
const refuse = (res, status, message) => res.status(status).json({ success: false, message });

// Stored in epoch milliseconds, answered as the examples show them: bare integers.
function present(session) {
  if (!mutant('times_in_seconds')) return session;
  return { ...session, start_date_time: Math.floor(session.start_date_time / 1000),
    end_date_time: Math.floor(session.end_date_time / 1000) };
}

function bodyObject(req) {
  const body = req.body;
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new Invalid('the request body must be a JSON object (Content-Type: application/json)');
  }
  return body;
}

// A session must reference a deployment of the caller's company and an approved flight plan of it; its times are
// non-negative integer milliseconds, and it cannot end before it starts.
function validated(company, fields) {
  for (const name of REFERENCES) {
    if (typeof fields[name] !== 'string') throw new Invalid(`${name}: a string id is required`);
  }
  for (const name of TIMES) {
    if (!Number.isSafeInteger(fields[name]) || fields[name] < 0) {
      throw new Invalid(`${name}: must be an integer number of milliseconds since the Unix epoch`);
    }
  }
  if (!company.deployments.includes(fields.deployment_id)) {
    throw new Invalid(`deployment_id: no deployment ${fields.deployment_id} in your company`);
  }
  const plan = company.flightPlans.find((p) => p.id === fields.flight_plan_id);
  if (!plan) throw new Invalid(`flight_plan_id: no flight plan ${fields.flight_plan_id} in your company`);
  if (!plan.approved && !mutant('unapproved_plan_accepted')) {
    throw new Invalid(`flight_plan_id: flight plan ${plan.id} is not approved`);
  }
  if (fields.end_date_time < fields.start_date_time) {
    throw new Invalid('end_date_time: must not be before start_date_time');
  }
  return Object.fromEntries(EDITABLE.map((name) => [name, fields[name]]));
}

function loadSession(req, res, next) {
  req.session = sessions.get(req.company.id, req.params.id);
  if (!req.session) return refuse(res, 404, 'Flight session not found');
  next();
}

router.get('/', requireCompany, (req, res) => {
  const filters = {};
  for (const name of REFERENCES) {
    const value = req.query[name];
    if (value === undefined) continue;
    // A repeated parameter arrives as an array from Express's query parser: refused rather than guessed at.
    if (typeof value !== 'string') return refuse(res, 400, `${name}: give it once, as a single id`);
    filters[name] = value;
  }
  const matches = (s) => {
    const tests = Object.entries(filters).map(([name, value]) => s[name] === value);
    if (tests.length === 0) return true;
    return mutant('or_filters') ? tests.some(Boolean) : tests.every(Boolean);
  };
  const mine = (s) => mutant('other_company_listed') || s.company_id === req.company.id;
  const found = sessions.all().filter((s) => mine(s) && matches(s))
    .sort((a, b) => a.start_date_time - b.start_date_time || a.flight_session_id.localeCompare(b.flight_session_id));
  ok(res, found.map(present));
});

router.post('/', requireCompany, (req, res) => {
  const fields = validated(req.company, bodyObject(req));
  ok(res, present(sessions.create(req.company.id, fields)));
});

router.get('/:id', requireCompany, loadSession, (req, res) => ok(res, present(req.session)));

router.patch('/:id', requireCompany, loadSession, (req, res) => {
  const body = bodyObject(req);
  const sent = Object.fromEntries(EDITABLE.filter((name) => name in body).map((name) => [name, body[name]]));
  const base = mutant('patch_full_replace') ? {} : req.session;
  const merged = { ...base, ...sent };
  const fields = mutant('patch_full_replace') ? sent : validated(req.company, merged);
  const updated = { flight_session_id: req.session.flight_session_id, company_id: req.company.id, ...fields };
  ok(res, present(sessions.save(updated)));
});

router.delete('/:id', requireCompany, loadSession, (req, res) => {
  if (!mutant('delete_keeps')) sessions.remove(req.session.flight_session_id);
  ok(res, mutant('delete_no_object') ? undefined : present(req.session));
});

// Validation errors of this router in its own envelope; anything else (express.json()'s 400 and 413 included)
// goes on to Express's default error handler.
router.use((error, req, res, next) => {
  if (error instanceof Invalid) return refuse(res, 400, error.message);
  next(error);
});

module.exports = router;

// Flight sessions in memory, keyed by id. Knows nothing of HTTP.
const { randomBytes } = require('node:crypto');

const sessions = new Map();

function create(companyId, fields) {
  const session = { flight_session_id: randomBytes(16).toString('hex'), company_id: companyId, ...fields };
  sessions.set(session.flight_session_id, session);
  return session;
}

function get(companyId, id) {
  const session = sessions.get(id);
  return session && session.company_id === companyId ? session : undefined;
}

function all() {
  return [...sessions.values()];
}

function save(session) {
  sessions.set(session.flight_session_id, session);
  return session;
}

function remove(id) {
  sessions.delete(id);
}

module.exports = { create, get, all, save, remove };

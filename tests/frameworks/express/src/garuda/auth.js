// Both credentials of one company are required: "Authorization: Bearer <AUTH_TOKEN>" and "X-API-Key: <API_KEY>".
const { findByToken } = require('./companies');
const mutant = require('../mutant');

function unauthorized(res) {
  res.set('WWW-Authenticate', 'Bearer realm="garuda"');
  return res.status(401).json({ success: false, message: 'Invalid or missing credentials' });
}

function requireCompany(req, res, next) {
  const match = /^Bearer (\S+)$/.exec(req.get('Authorization') || '');
  const company = match && findByToken(match[1]);
  const apiKey = req.get('X-API-Key');
  const keyMatches = apiKey === undefined && mutant('api_key_optional') ? true : apiKey === company?.apiKey;
  if (!company || !keyMatches) return unauthorized(res);
  req.company = company;
  next();
}

module.exports = { requireCompany };

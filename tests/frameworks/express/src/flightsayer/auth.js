// "Authorization: Token <token>": each token is one user, who sees only their own subscriptions.
const users = {
  'fs-token-alice-5f2c81d0': 'alice',
  'fs-token-bob-a93e4b17': 'bob',
};

function unauthorized(res, detail) {
  return res.status(401).set('WWW-Authenticate', 'Token').json({ detail });
}

function requireUser(req, res, next) {
  const header = req.get('Authorization');
  if (!header) return unauthorized(res, 'Authentication credentials were not provided.');
  const match = /^Token (\S+)$/.exec(header);
  const user = match && users[match[1]];
  if (!user) return unauthorized(res, 'Invalid token.');
  req.user = user;
  next();
}

module.exports = { requireUser };

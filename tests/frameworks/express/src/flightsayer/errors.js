// Flightsayer's errors, Django REST framework style: {"detail": "..."} or {"field": ["message"]}.
class FieldError extends Error {
  constructor(field, message) {
    super(message);
    this.field = field;
  }
}

const notFound = (res) => res.status(404).json({ detail: 'Not found.' });

// Error-handling middleware for the Flightsayer routers; anything else goes on to Express's default handler.
function fieldErrors(error, req, res, next) {
  if (error instanceof FieldError) return res.status(400).json({ [error.field]: [error.message] });
  next(error);
}

module.exports = { FieldError, notFound, fieldErrors };

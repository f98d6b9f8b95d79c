// The :flightId path parameter: a FlightId of the documented form, of a flight in the catalog.
const catalog = require('./catalog');
const { FieldError, notFound } = require('./errors');

// <carrier(2)><number(1-4)><origin(3)><destination(3)><YYMMDDHHMM in UTC>
const FLIGHT_ID = /^[A-Z0-9]{2}[0-9]{1,4}[A-Z]{3}[A-Z]{3}[0-9]{2}(0[1-9]|1[0-2])(0[1-9]|[12][0-9]|3[01])([01][0-9]|2[0-3])[0-5][0-9]$/;

function knownFlight(req, res, next) {
  const id = req.params.flightId;
  if (!FLIGHT_ID.test(id)) {
    return next(new FieldError('flight_id', 'Not a valid FlightId: expected <carrier><number><origin><destination><YYMMDDHHMM UTC>.'));
  }
  req.flight = catalog.find(id);
  if (!req.flight) return notFound(res);
  next();
}

module.exports = { knownFlight };

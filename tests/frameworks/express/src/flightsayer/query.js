// Reading Flightsayer's query parameters. Express's default query parser turns a repeated parameter into an
// array: that is refused, rather than guessing which value was meant.
const { FieldError } = require('./errors');

const RFC3339 = /^(\d{4}-\d{2}-\d{2})[Tt ](\d{2}:\d{2}:\d{2}(?:\.\d+)?)([Zz]|[+-]\d{2}:\d{2})$/;

function single(query, name) {
  const value = query[name];
  if (value !== undefined && typeof value !== 'string') throw new FieldError(name, 'Give this parameter once.');
  return value;
}

// An ISO 8601 instant with its UTC offset ("2016-06-24T18:30:00Z", "...-04:00"), as epoch milliseconds.
function instant(query, name) {
  const value = single(query, name);
  if (value === undefined) return undefined;
  const match = RFC3339.exec(value);
  const ms = match ? Date.parse(`${match[1]}T${match[2]}${match[3].toUpperCase()}`) : NaN;
  if (Number.isNaN(ms)) throw new FieldError(name, 'Expected an ISO 8601 date-time with a UTC offset, e.g. 2016-06-24T18:30:00Z.');
  return ms;
}

function airport(query, name) {
  const value = single(query, name);
  if (value !== undefined && !/^[A-Z]{3}$/.test(value)) throw new FieldError(name, 'Expected a 3-letter IATA airport code.');
  return value;
}

function integer(query, name, fallback, minimum) {
  const value = single(query, name);
  if (value === undefined) return fallback;
  if (!/^\d+$/.test(value) || Number(value) < minimum) {
    throw new FieldError(name, `Expected an integer of at least ${minimum}.`);
  }
  return Number(value);
}

module.exports = { single, instant, airport, integer };

// limit/offset pagination answering {count, next, previous, results}, with absolute links that keep the filters.
const { integer } = require('./query');
const mutant = require('../mutant');

const DEFAULT_LIMIT = 50;
const MAX_LIMIT = 50;

function pageRequest(query) {
  return {
    limit: Math.min(integer(query, 'limit', DEFAULT_LIMIT, 1), MAX_LIMIT),
    offset: integer(query, 'offset', 0, 0),
  };
}

// `filters`: the filter parameters as the client sent them, carried into both links.
function paginate(req, items, { limit, offset }, filters = {}) {
  const link = (at) => {
    const kept = mutant('next_drops_filters') ? {} : filters;
    const params = new URLSearchParams({ ...kept, limit: String(limit), offset: String(at) });
    return `${req.protocol}://${req.get('host')}${req.baseUrl}${req.path}?${params}`;
  };
  const nextOffset = mutant('overlapping_pages') ? offset + limit - 1 : offset + limit;
  return {
    count: items.length,
    next: offset + limit < items.length ? link(nextOffset) : null,
    previous: offset > 0 ? link(Math.max(0, offset - limit)) : null,
    results: items.slice(offset, offset + limit),
  };
}

module.exports = { pageRequest, paginate };

// A flight's FlightStatus as the API answers it, and as push notifications carry it.
const { airports, carriers, find } = require('./catalog');
const { localIso } = require('./zones');
const mutant = require('../mutant');

const MINUTE = 60000;
const round2 = (x) => Math.round(x * 100) / 100;

const airportInfo = (code) => ({ iata: code, city: airports[code].city, name: airports[code].name });

// The four probabilities (<30 min, 30-60, 60-120, 2+ h): the catalog's forecast until a delay is known, then
// centred on the bucket of the delay.
function distributionOf(flight) {
  const d = flight.delayMinutes;
  let p = flight.distribution;
  if (d > 0) {
    const bucket = d < 30 ? 0 : d < 60 ? 1 : d < 120 ? 2 : 3;
    p = [0, 0, 0, 0].map((_, i) => (i === bucket ? 0.7 : Math.abs(i - bucket) === 1 ? 0.15 : 0));
    const spare = round2(1 - p.reduce((a, b) => a + b, 0));
    p[bucket] = round2(p[bucket] + spare);
  }
  if (mutant('distribution_sums_1_1')) p = [...p.slice(0, 3), round2(p[3] + 0.1)];
  return p;
}

function predictionOf(flight) {
  const distribution = distributionOf(flight);
  const expectedBucket = distribution[1] + 2 * distribution[2] + 3 * distribution[3];
  const delayIndex = Math.min(10, Math.max(1, Math.round(1 + 3 * expectedBucket)));
  const reasons = delayIndex <= 2
    ? ['Flight is predicted to be on time based on forecast airport conditions and current flight status.']
    : [`Flight may be delayed because of airport conditions at ${flight.origin} and a late incoming flight.`];
  return { delay_index: delayIndex, distribution, reasons };
}

// `withInbound`: nest the inbound flight's own status one level deep (its own inbound is left out).
function statusOf(flight, withInbound = true) {
  const origin = airports[flight.origin].zone;
  const destination = airports[flight.destination].zone;
  const moved = flight.delayMinutes > 0;
  const status = {
    flight: {
      id: flight.id,
      number: flight.number,
      carrier: carriers[flight.carrier],
      scheduled_departure: localIso(origin, flight.departureMs),
      scheduled_arrival: localIso(destination, flight.arrivalMs),
      origin: airportInfo(flight.origin),
      destination: airportInfo(flight.destination),
    },
    prediction: predictionOf(flight),
    historical_performance: flight.historical,
    status: {
      departure: {
        scheduled: localIso(origin, flight.departureMs),
        latest: localIso(origin, flight.departureMs + flight.delayMinutes * MINUTE),
        type: moved ? 'estimated' : 'scheduled',
        terminal: flight.terminal,
        gate: flight.gate,
      },
      arrival: {
        scheduled: localIso(destination, flight.arrivalMs),
        latest: localIso(destination, flight.arrivalMs + flight.delayMinutes * MINUTE),
        type: moved ? 'estimated' : 'scheduled',
        terminal: null,
        gate: null,
        baggage_claim: null,
      },
      cancelled: flight.cancelled,
      source: 'swim',
      last_updated: flight.lastUpdated,
    },
  };
  if (withInbound) status.inbound = flight.inboundId ? statusOf(find(flight.inboundId), false) : null;
  return status;
}

module.exports = { statusOf };

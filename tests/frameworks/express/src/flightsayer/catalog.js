// A deterministic catalog of a few hundred flights in June 2016, and their changing real-time state.
// Each aircraft shuttles between its carrier's base and other airports, so every leg after an aircraft's first has
// an inbound flight: the same aircraft's previous leg, arriving at this leg's origin before it departs.
const { EventEmitter } = require('node:events');

const { airports, carriers, networks } = require('./airports');
const { compactTime } = require('./zones');
const mutant = require('../mutant');

const AIRCRAFT_PER_CARRIER = { UA: 12, DL: 8, WN: 8, AA: 6, '9K': 2, AS: 4 };
const LEGS_PER_AIRCRAFT = 8;
const FIRST_DAY = Date.parse('2016-06-09T10:00:00Z');
const MINUTE = 60000;

// mulberry32: a small seeded generator, so every start serves the same catalog.
function generator(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const random = generator(20160609);
const between = (low, high) => low + Math.floor(random() * (high - low + 1));
const pick = (list) => list[between(0, list.length - 1)];
const round2 = (x) => Math.round(x * 100) / 100;

// Block time of a city pair, the same both ways.
function blockMinutes(a, b) {
  const key = [a, b].sort().join('');
  let hash = 0;
  for (const ch of key) hash = (hash * 31 + ch.charCodeAt(0)) % 9973;
  return 55 + (hash % 62) * 5;
}

function baseDistribution() {
  const onTime = round2(0.55 + random() * 0.45);
  const rest = 1 - onTime;
  const small = round2(rest * 0.6);
  const medium = round2(rest * 0.3);
  return [onTime, small, medium, round2(1 - onTime - small - medium)];
}

function flightIdOf(flight) {
  const zone = mutant('local_time_flight_ids') ? airports[flight.origin].zone : 'UTC';
  return `${flight.carrier}${flight.number}${flight.origin}${flight.destination}${compactTime(zone, flight.departureMs)}`;
}

function build() {
  const flights = [];
  for (const [carrier, count] of Object.entries(AIRCRAFT_PER_CARRIER)) {
    const { bases, spokes } = networks[carrier];
    let number = between(100, 900);
    for (let aircraft = 0; aircraft < count; aircraft++) {
      const tail = `${carrier}-${aircraft}`;
      const base = pick(bases);
      let at = base;
      let departureMs = FIRST_DAY + between(0, 3) * 1440 * MINUTE + between(0, 140) * 5 * MINUTE;
      for (let leg = 0; leg < LEGS_PER_AIRCRAFT; leg++) {
        const destination = at === base ? pick(spokes.filter((s) => s !== base)) : base;
        const arrivalMs = departureMs + blockMinutes(at, destination) * MINUTE;
        number += between(1, 7);
        flights.push({
          tail, carrier, number, origin: at, destination, departureMs, arrivalMs,
          distribution: baseDistribution(),
          historical: random() < 0.7 ? { samples: between(20, 180), n_months: 6,
            on_time_percentage: between(55, 97), cancel_percentage: between(0, 4) } : null,
          terminal: random() < 0.5 ? pick(['A', 'B', 'C', '1', '2', 'S']) : null,
          gate: random() < 0.5 ? `${pick(['A', 'B', 'C'])}${between(1, 40)}` : null,
          delayMinutes: 0, cancelled: false, lastUpdated: null,
        });
        at = destination;
        departureMs = arrivalMs + between(8, 24) * 5 * MINUTE;
      }
    }
  }
  for (const flight of flights) flight.id = flightIdOf(flight);
  flights.sort((a, b) => a.departureMs - b.departureMs || a.id.localeCompare(b.id));
  for (const flight of flights) {
    const earlier = flights.filter((f) => f.tail === flight.tail && f.destination === flight.origin
      && (mutant('inbound_arrives_after_departure') ? f.arrivalMs > flight.departureMs
        : f.arrivalMs < flight.departureMs));
    earlier.sort((a, b) => Math.abs(flight.departureMs - a.arrivalMs) - Math.abs(flight.departureMs - b.arrivalMs));
    flight.inboundId = earlier.length ? earlier[0].id : null;
  }
  return flights;
}

const flights = build();
const byId = new Map(flights.map((f) => [f.id, f]));
if (byId.size !== flights.length) throw new Error('the catalog produced two flights with one FlightId');

// Status changes are announced here ('change', flight, {final}); the notifier listens.
const changes = new EventEmitter();

function find(id) {
  return byId.get(id);
}

// Flights matching every filter given, in the catalog's order (scheduled departure, then FlightId).
function search({ departureAirport, arrivalAirport, earliestMs, latestMs }) {
  return flights.filter((f) => (departureAirport === undefined || f.origin === departureAirport)
    && (arrivalAirport === undefined || f.destination === arrivalAirport)
    && (earliestMs === undefined || f.departureMs >= earliestMs)
    && (latestMs === undefined || (mutant('exclusive_latest_departure') ? f.departureMs < latestMs
      : f.departureMs <= latestMs)));
}

class FlightClosed extends Error {}

function delay(id, minutes) {
  const flight = byId.get(id);
  if (flight.cancelled) throw new FlightClosed(`${id} is cancelled`);
  flight.delayMinutes += minutes;
  flight.lastUpdated = new Date().toISOString();
  if (!mutant('no_notification_for_delay')) changes.emit('change', flight, { final: false });
}

function cancel(id) {
  const flight = byId.get(id);
  if (flight.cancelled) throw new FlightClosed(`${id} is already cancelled`);
  flight.cancelled = true;
  flight.lastUpdated = new Date().toISOString();
  changes.emit('change', flight, { final: true });
}

module.exports = { flights, find, search, delay, cancel, changes, FlightClosed, airports, carriers };

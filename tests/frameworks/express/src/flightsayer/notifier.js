// Push notifications: every status change of a flight is POSTed, as its full FlightStatus, to each subscription of
// that flight. Each subscription has its own queue (a promise chain), so its notifications arrive in order and a
// slow or failing target holds up nobody else. After the final notification (cancelled) the subscription is deleted
// FINAL_DELETE_SECONDS later.
const catalog = require('./catalog');
const { statusOf } = require('./status');
const subscriptions = require('./subscriptions');
const mutant = require('../mutant');

const FINAL_DELETE_MS = Number(process.env.FINAL_DELETE_SECONDS ?? 2) * 1000;
const ATTEMPTS = 3;
const TIMEOUT_MS = 5000;
const queues = new WeakMap();

async function deliver(target, body) {
  for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
    try {
      const answer = await fetch(target, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body,
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
      if (answer.ok) return;
      console.warn(`notification to ${target}: HTTP ${answer.status} (attempt ${attempt})`);
    } catch (error) {
      console.warn(`notification to ${target}: ${error.message} (attempt ${attempt})`);
    }
    await new Promise((resolve) => setTimeout(resolve, 500 * attempt));
  }
}

function enqueue(subscription, body, final) {
  const previous = queues.get(subscription) ?? Promise.resolve();
  const next = previous
    .then(() => deliver(subscription.target, body))
    .then(() => {
      if (final && !mutant('subscriptions_never_retired')) {
        setTimeout(() => subscriptions.retire(subscription), FINAL_DELETE_MS).unref();
      } else if (!final && mutant('early_retirement')) {
        setTimeout(() => subscriptions.retire(subscription), 5000).unref();
      }
    });
  queues.set(subscription, next.catch(() => {}));
}

// The subscriptions of this flight. The cross_user_leak defect also hands it to every other user's subscriptions
// (of other flights) whenever the flight has a subscriber.
function recipients(flight) {
  const own = subscriptions.all().filter((s) => s.flight_id === flight.id);
  if (!mutant('cross_user_leak') || own.length === 0) return own;
  const subscribers = new Set(own.map((s) => s.user));
  return subscriptions.all().filter((s) => s.flight_id === flight.id || !subscribers.has(s.user));
}

function start() {
  catalog.changes.on('change', (flight, { final }) => {
    const body = JSON.stringify(statusOf(flight));
    for (const subscription of recipients(flight)) enqueue(subscription, body, final);
  });
}

module.exports = { start };

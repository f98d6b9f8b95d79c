// Subscriptions in memory, one per (user, flight). Knows nothing of HTTP. Map order is creation order, so the
// oldest comes first; an update keeps the subscription's place and its `created`.
const mutant = require('../mutant');

const subscriptions = new Map();
const keyOf = (user, flightId) => `${user} ${flightId}`;

function get(user, flightId) {
  return subscriptions.get(keyOf(user, flightId));
}

// {subscription, created: true} for a new one, {subscription, created: false} when the target was replaced.
function put(user, flightId, target) {
  const now = new Date().toISOString();
  const existing = get(user, flightId);
  if (existing) {
    Object.assign(existing, { target, updated: now });
    return { subscription: existing, created: false };
  }
  const subscription = { user, flight_id: flightId, target, created: now, updated: now };
  subscriptions.set(keyOf(user, flightId), subscription);
  return { subscription, created: true };
}

function listOf(user) {
  return [...subscriptions.values()].filter((s) => mutant('other_users_subscriptions_listed') || s.user === user);
}

function all() {
  return [...subscriptions.values()];
}

function remove(user, flightId) {
  return subscriptions.delete(keyOf(user, flightId));
}

// Deletes `subscription` only if it is still the stored one (not deleted and subscribed again meanwhile).
function retire(subscription) {
  if (get(subscription.user, subscription.flight_id) === subscription) remove(subscription.user, subscription.flight_id);
}

const present = ({ flight_id, target, created, updated }) => ({ flight_id, target, created, updated });

module.exports = { get, put, listOf, all, remove, retire, present };

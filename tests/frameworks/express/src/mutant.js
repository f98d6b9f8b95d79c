// One deliberate defect, switched on by BACKEND_MUTANT=<name>, so the conformance suite can be shown to catch it.
// Unset, the backend is the correct one.
const active = process.env.BACKEND_MUTANT || '';

module.exports = function mutant(name) {
  return active === name;
};

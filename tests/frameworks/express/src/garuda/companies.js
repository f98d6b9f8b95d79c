// The companies this Garuda backend knows, with their credentials, deployments and flight plans.
// Ids are 32 lowercase hex characters, the form of the API's examples, derived from a label so they never change.
const { createHash } = require('node:crypto');

const hexId = (label) => createHash('md5').update(label).digest('hex');

function company(slug, token, apiKey) {
  return {
    id: hexId(`company:${slug}`),
    name: slug,
    token,
    apiKey,
    deployments: [hexId(`deployment:${slug}:north`), hexId(`deployment:${slug}:south`)],
    flightPlans: [
      { id: hexId(`plan:${slug}:coastal-survey`), approved: true },
      { id: hexId(`plan:${slug}:bridge-inspection`), approved: true },
      { id: hexId(`plan:${slug}:night-overflight`), approved: false },
    ],
  };
}

const companies = [
  company('skyward-surveys', 'skyward-token-7c1e9a', 'skyward-key-41d2f0'),
  company('harbour-inspections', 'harbour-token-3b8d52', 'harbour-key-9e07ac'),
];

function findByToken(token) {
  return companies.find((c) => c.token === token);
}

module.exports = { companies, findByToken };

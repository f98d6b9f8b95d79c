// Airports and carriers of the catalog, each airport with its real IANA time zone.
const airports = {
  BOS: { iata: 'BOS', city: 'Boston', name: 'General Edward Lawrence Logan Intl', zone: 'America/New_York' },
  SFO: { iata: 'SFO', city: 'San Francisco', name: 'San Francisco Intl', zone: 'America/Los_Angeles' },
  DEN: { iata: 'DEN', city: 'Denver', name: 'Denver Intl', zone: 'America/Denver' },
  ORD: { iata: 'ORD', city: 'Chicago', name: "Chicago O'Hare Intl", zone: 'America/Chicago' },
  ATL: { iata: 'ATL', city: 'Atlanta', name: 'Hartsfield - Jackson Atlanta Intl', zone: 'America/New_York' },
  GTR: { iata: 'GTR', city: 'Columbus/W Point/Starkville', name: 'Golden Triangle Rgnl', zone: 'America/Chicago' },
  EWR: { iata: 'EWR', city: 'Newark', name: 'Newark Liberty Intl', zone: 'America/New_York' },
  SJC: { iata: 'SJC', city: 'San Jose', name: 'Norman Y. Mineta San Jose Intl', zone: 'America/Los_Angeles' },
  SAN: { iata: 'SAN', city: 'San Diego', name: 'San Diego Intl', zone: 'America/Los_Angeles' },
  PHX: { iata: 'PHX', city: 'Phoenix', name: 'Phoenix Sky Harbor Intl', zone: 'America/Phoenix' },
  SEA: { iata: 'SEA', city: 'Seattle', name: 'Seattle-Tacoma Intl', zone: 'America/Los_Angeles' },
  HNL: { iata: 'HNL', city: 'Honolulu', name: 'Daniel K. Inouye Intl', zone: 'Pacific/Honolulu' },
  SLK: { iata: 'SLK', city: 'Saranac Lake', name: 'Adirondack Rgnl', zone: 'America/New_York' },
};

const carriers = {
  UA: { iata: 'UA', name: 'United Airlines' },
  DL: { iata: 'DL', name: 'Delta Air Lines' },
  WN: { iata: 'WN', name: 'Southwest Airlines' },
  AA: { iata: 'AA', name: 'American Airlines' },
  '9K': { iata: '9K', name: 'Cape Air' },
  AS: { iata: 'AS', name: 'Alaska Airlines' },
};

// Where each carrier's aircraft fly from and to: an aircraft shuttles between its base and these airports.
const networks = {
  UA: { bases: ['SFO', 'ORD', 'EWR', 'DEN'], spokes: ['BOS', 'SFO', 'DEN', 'ORD', 'EWR', 'SEA', 'HNL', 'PHX'] },
  DL: { bases: ['ATL'], spokes: ['GTR', 'BOS', 'ORD', 'SAN', 'SEA', 'EWR', 'PHX'] },
  WN: { bases: ['PHX', 'SJC', 'DEN'], spokes: ['SJC', 'SAN', 'DEN', 'PHX', 'SEA'] },
  AA: { bases: ['ORD', 'PHX'], spokes: ['BOS', 'SFO', 'DEN', 'ATL', 'SAN', 'HNL'] },
  '9K': { bases: ['BOS'], spokes: ['SLK'] },
  AS: { bases: ['SEA'], spokes: ['SFO', 'SJC', 'SAN', 'HNL', 'BOS'] },
};

module.exports = { airports, carriers, networks };

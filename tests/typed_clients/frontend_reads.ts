// What a frontend reads from the two APIs, with the types openapi-typescript generates from specs/ and the client
// openapi-fetch builds on them. Compiled with `tsc --strict --noEmit`: a field typed `unknown`, missing or of
// another type fails the build, and each `@ts-expect-error` fails it if the types went loose (`any`).
import createClient from "openapi-fetch";
import type { operations as FlightsayerOperations, paths as FlightsayerPaths } from "./flightsayer";
import type { operations as GarudaOperations, paths as GarudaPaths } from "./garuda";

type Json<Response> = Response extends { content: { "application/json": infer Body } } ? Body : never;

// Every key of every operation's responses is a status code (200, "4XX"), never an extension such as "x-mock".
type ResponseKeys<Operations> = {
  [Id in keyof Operations]: Operations[Id] extends { responses: infer Responses } ? keyof Responses : never;
}[keyof Operations];
type NotAStatus<Operations> = Exclude<ResponseKeys<Operations>, number | `${number}XX` | "default">;
export const onlyStatusCodes: [NotAStatus<FlightsayerOperations>, NotAStatus<GarudaOperations>] extends [never, never]
  ? true
  : false = true;

type FlightStatus = Json<FlightsayerOperations["getFlightStatus"]["responses"][200]>;
type SearchPage = Json<FlightsayerOperations["searchFlights"]["responses"][200]>;
type SubscriptionPage = Json<FlightsayerOperations["listSubscriptions"]["responses"][200]>;
type Subscription = Json<FlightsayerOperations["putSubscription"]["responses"][201]>;
type SubscriptionBody = FlightsayerOperations["putSubscription"]["requestBody"]["content"]["application/json"];
type SessionList = Json<GarudaOperations["listFlightSessions"]["responses"][200]>;
type SessionCreate = GarudaOperations["createFlightSession"]["requestBody"]["content"]["application/json"];

export function onTimeProbability(status: FlightStatus): number {
  const origin: string = status.flight.origin.iata;
  const reasons: string[] = status.prediction.reasons;
  // @ts-expect-error the probabilities are numbers
  const asText: string = status.prediction.distribution[0];
  void [origin, reasons, asText];
  return status.prediction.distribution[0];
}

export function departureGate(status: FlightStatus): string | null | undefined {
  return status.status?.departure.gate;
}

export function searchedIds(page: SearchPage, i: number): string[] {
  const one: string = page.results[i].flight.id;
  const count: number = page.count;
  const next: string | null | undefined = page.next;
  void [one, count, next];
  return page.results.map((result) => result.flight.id);
}

export function targets(page: SubscriptionPage, i: number): string[] {
  const one: string = page.results[i].target;
  void one;
  return page.results.map((subscription) => subscription.target);
}

export function sessions(list: SessionList, i: number): Array<[string, number]> {
  const ok: true = list.success;
  const id: string = list.data[i].flight_session_id;
  // The seed types the times both as strings and as integers: the contract accepts either.
  const start: number | string = list.data[i].start_date_time;
  void [ok, id, start];
  return list.data.map((session) => [session.flight_session_id, Number(session.start_date_time)]);
}

export const subscribe: SubscriptionBody = { target: "https://example.org/hooks/me" };
// @ts-expect-error a subscription needs its target
export const subscribeWithoutTarget: SubscriptionBody = {};
export const created: Subscription["created"] = "2016-07-12T19:26:23Z";
export const session: SessionCreate = {
  deployment_id: "9703889c2bb4322025815ed1a0509eba",
  flight_plan_id: "fc5583b754db73cc526a6ffa919d393a",
  start_date_time: 1527469200000,
  end_date_time: 1527479200000,
};

// The same reads through openapi-fetch: paths, parameters, bodies and answers all typed from the specs.
export async function withOpenapiFetch(baseUrl: string, token: string, bearer: string, apiKey: string) {
  const flightsayer = createClient<FlightsayerPaths>({ baseUrl, headers: { Authorization: `Token ${token}` } });
  const found = await flightsayer.GET("/flights/v1/search", { params: { query: { departure_airport: "BOS", limit: 2 } } });
  const first: string | undefined = found.data?.results[0]?.flight.id;
  if (first === undefined) return;
  const status = await flightsayer.GET("/flights/v1/status/{flight_id}", { params: { path: { flight_id: first } } });
  const probability: number | undefined = status.data?.prediction.distribution[0];
  const put = await flightsayer.PUT("/subscriptions/{flight_id}", {
    params: { path: { flight_id: first } },
    body: { target: "http://127.0.0.1:9000/hooks/me" },
  });
  const target: string | undefined = put.data?.target;
  // @ts-expect-error a PUT needs a body with a target
  await flightsayer.PUT("/subscriptions/{flight_id}", { params: { path: { flight_id: first } }, body: {} });

  const garuda = createClient<GarudaPaths>({ baseUrl, headers: { Authorization: `Bearer ${bearer}`, "X-API-Key": apiKey } });
  const list = await garuda.GET("/v2/flight_sessions", { params: { query: { deployment_id: session.deployment_id } } });
  const start: number | string | undefined = list.data?.data[0]?.start_date_time;
  const made = await garuda.POST("/v2/flight_sessions", { body: session });
  const madeId: string | undefined = made.data?.data.flight_session_id;
  // @ts-expect-error not a path of the spec
  await garuda.GET("/v2/flight_session");
  return { probability, target, start, madeId };
}

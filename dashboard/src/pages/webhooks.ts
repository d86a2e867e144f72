// Webhooks: endpoints and the event types they receive, secret rotation, the delivery log
// with each attempt, and replay.

import { type Api, collect, describe, type Schemas } from "../api";
import { card, field, h, notice, replace } from "../dom";
import { dateTime } from "../format";
import type { PageContext } from "../router";
import { dataTable } from "../table";

type Endpoint = Schemas["Endpoint"];
type Message = Schemas["Message"];
type Attempt = Schemas["Attempt"];

type Say = (element: HTMLElement) => void;

/** A signing secret is shown once, right after it is made, for the receiver's settings. */
function secretNotice(secret: string): HTMLElement {
  return h("div", { class: "notice ok", role: "status" }, h("p", {}, "Signing secret, shown only now: copy it into the receiver's settings."), h("pre", { class: "code" }, secret));
}

async function act(say: Say, done: () => void, work: () => Promise<HTMLElement | null>): Promise<void> {
  try {
    const shown = await work();
    done();
    if (shown) say(shown);
  } catch (error) {
    say(notice("error", describe(error)));
  }
}

function endpointActions(api: Api, endpoint: Endpoint, say: Say, reload: () => void): HTMLElement {
  const path = `/api/v1/webhooks/endpoints/${endpoint.id}`;
  const rotate = () => act(say, reload, async () => secretNotice((await api.send<Schemas["Secret"]>("POST", `${path}/rotate-secret`, {})).secret));
  const toggle = () => act(say, reload, async () => (await api.send("PATCH", path, { enabled: !endpoint.enabled }), null));
  const replay = () => act(say, reload, async () => {
    const since = new Date(Date.now() - 86400_000).toISOString();
    const answer = await api.send<Schemas["Replayed"]>("POST", `${path}/replay?since=${encodeURIComponent(since)}`);
    return notice("ok", `${answer.replayed} messages of the last 24 hours queued again.`);
  });
  const remove = () => act(say, reload, async () => (await api.send("DELETE", path), notice("ok", "Endpoint deleted.")));
  return h(
    "span",
    { class: "actions" },
    h("button", { type: "button", onclick: () => void rotate() }, "Rotate secret"),
    h("button", { type: "button", onclick: () => void toggle() }, endpoint.enabled ? "Disable" : "Enable"),
    h("button", { type: "button", onclick: () => void replay() }, "Replay 24 h"),
    h("button", { type: "button", class: "danger", onclick: () => void remove() }, "Delete"),
  );
}

function newEndpointForm(api: Api, types: string[], say: Say, reload: () => void): HTMLElement {
  const url = h("input", { type: "url", required: true, placeholder: "https://crm.example.com/waypost" });
  const description = h("input", { type: "text" });
  const filter = h("input", { type: "text", placeholder: "survey_type = nps and score <= 6" });
  const boxes = types.map((type) => h("input", { type: "checkbox", value: type, checked: type.startsWith("survey.") }));
  const create = (event: Event): void => {
    event.preventDefault();
    const body: Record<string, unknown> = { url: url.value, description: description.value, event_types: boxes.filter((box) => box.checked).map((box) => box.value) };
    if (filter.value.trim()) body["filter"] = filter.value.trim();
    void act(say, reload, async () => secretNotice((await api.send<Schemas["EndpointCreated"]>("POST", "/api/v1/webhooks/endpoints", body)).secret));
  };
  return h(
    "form",
    { onsubmit: create },
    field("URL", url),
    field("Description", description),
    h("fieldset", { class: "entry" }, h("legend", {}, "Event types"), ...boxes.map((box) => h("label", { class: "check" }, box, box.value))),
    field("Filter (optional)", filter),
    h("button", { type: "submit", class: "primary" }, "Add endpoint"),
  );
}

async function showAttempts(api: Api, message: Message, box: HTMLElement): Promise<void> {
  const { rows } = await collect<Attempt>(api, `/api/v1/webhooks/messages/${encodeURIComponent(message.id)}/attempts`, {}, 1000);
  replace(
    box,
    h("h3", {}, `Attempts of ${message.id}`),
    dataTable(
      [
        { label: "When", value: (row) => row.attempted_at, cell: (row) => dateTime(row.attempted_at) },
        { label: "Status", value: (row) => row.status_code ?? null, numeric: true },
        { label: "ms", value: (row) => row.duration_ms, numeric: true },
        { label: "Error", value: (row) => row.error ?? "" },
        { label: "Response", value: (row) => row.response_body ?? "" },
      ],
      rows,
      { empty: "Not tried yet." },
    ),
  );
}

function messageLog(api: Api, messages: Message[], endpoints: Endpoint[], say: Say, reload: () => void): HTMLElement {
  const attempts = h("div");
  const urlOf = (id: string): string => endpoints.find((endpoint) => endpoint.id === id)?.url ?? id;
  const replay = (message: Message) => () => void act(say, reload, async () => (await api.send("POST", `/api/v1/webhooks/messages/${encodeURIComponent(message.id)}/replay`), notice("ok", `${message.id} queued again.`)));
  return h(
    "div",
    {},
    dataTable(
      [
        { label: "Created", value: (row) => row.created_at, cell: (row) => dateTime(row.created_at) },
        { label: "Event", value: (row) => row.event_type },
        { label: "Endpoint", value: (row) => urlOf(row.endpoint_id), cell: (row) => h("span", { class: "url" }, urlOf(row.endpoint_id)) },
        { label: "Status", value: (row) => row.status, cell: (row) => h("span", { class: `badge ${row.status}` }, row.status) },
        { label: "Tries", value: (row) => row.tries, numeric: true },
        { label: "", value: () => null, cell: (row) => h("span", { class: "actions" }, h("button", { type: "button", onclick: () => void showAttempts(api, row, attempts) }, "Attempts"), h("button", { type: "button", onclick: replay(row) }, "Replay")) },
      ],
      messages,
      { empty: "No deliveries yet." },
    ),
    attempts,
  );
}

export async function renderWebhooks(context: PageContext): Promise<void> {
  const { api, main } = context;
  const status = h("div", { class: "status" });
  const say: Say = (element) => replace(status, element);
  const body = h("div");
  const load = async (): Promise<void> => {
    const [endpoints, types, log] = await Promise.all([
      api.get<Schemas["EndpointList"]>("/api/v1/webhooks/endpoints"),
      api.get<Schemas["EventTypeList"]>("/api/v1/webhooks/event-types"),
      collect<Message>(api, "/api/v1/webhooks/messages", {}, 2000),
    ]);
    const reload = (): void => void load();
    replace(
      body,
      card(
        "Endpoints",
        dataTable(
          [
            { label: "URL", value: (row) => row.url, cell: (row) => h("span", { class: "url" }, row.url) },
            { label: "Description", value: (row) => row.description },
            { label: "Event types", value: (row) => row.event_types.join(", ") },
            { label: "State", value: (row) => (row.enabled ? "enabled" : `disabled${row.disabled_reason ? `: ${row.disabled_reason}` : ""}`) },
            { label: "Failures in a row", value: (row) => row.failed_in_row, numeric: true },
            { label: "", value: () => null, cell: (row) => endpointActions(api, row, say, reload) },
          ],
          endpoints.data,
          { empty: "No endpoints yet." },
        ),
      ),
      card("New endpoint", newEndpointForm(api, types.data.map((type) => type.type), say, reload)),
      card("Delivery log, latest first", messageLog(api, log.rows.reverse(), endpoints.data, say, reload)),
    );
  };
  replace(main, h("h1", {}, "Webhooks"), status, body);
  await load();
}

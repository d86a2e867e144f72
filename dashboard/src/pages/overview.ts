// Overview: events and active persons per day, top events, latest answers, onboarding.

import { type Api, collect, type Schemas } from "../api";
import { chart, series } from "../charts";
import { card, figure, h, replace } from "../dom";
import { type Experience, listExperiences } from "../experiences";
import { dateTime, day, daysAgo, number, percent, text } from "../format";
import type { PageContext } from "../router";
import { dataTable } from "../table";

const DAYS = 14;
const EVENT_CAP = 50_000;

type StoredEvent = Schemas["ExportedEvent"];
type Answer = Schemas["Response"];

/** Counts per day; when the events were capped, only the days they cover completely. */
function perDay(events: StoredEvent[], capped: boolean): { labels: string[]; counts: number[]; persons: number[] } {
  const lastDay = capped ? (events[events.length - 1]?.timestamp.slice(0, 10) ?? "") : "9999";
  const labels = Array.from({ length: DAYS }, (_, index) => day(daysAgo(DAYS - 1 - index))).filter((label) => label < lastDay);
  const counts = new Map<string, number>();
  const persons = new Map<string, Set<string>>();
  for (const event of events) {
    const key = event.timestamp.slice(0, 10);
    counts.set(key, (counts.get(key) ?? 0) + 1);
    if (event.personId) (persons.get(key) ?? persons.set(key, new Set()).get(key)!).add(event.personId);
  }
  return { labels, counts: labels.map((label) => counts.get(label) ?? 0), persons: labels.map((label) => persons.get(label)?.size ?? 0) };
}

function topEvents(events: StoredEvent[]): { name: string; count: number; persons: number }[] {
  const byName = new Map<string, { count: number; persons: Set<string> }>();
  for (const event of events) {
    if (event.type !== "track" || !event.event) continue;
    const entry = byName.get(event.event) ?? byName.set(event.event, { count: 0, persons: new Set() }).get(event.event)!;
    entry.count += 1;
    if (event.personId) entry.persons.add(event.personId);
  }
  return [...byName].map(([name, entry]) => ({ name, count: entry.count, persons: entry.persons.size })).sort((a, b) => b.count - a.count);
}

async function latestAnswers(api: Api, surveys: Experience[]): Promise<(Answer & { survey: string })[]> {
  const since = daysAgo(DAYS).toISOString();
  const pages = await Promise.all(
    surveys.map(async (survey) => {
      const { rows } = await collect<Answer>(api, `/api/v1/surveys/${survey.id}/responses`, { from: since }, 2000);
      return rows.map((row) => ({ ...row, survey: survey.name }));
    }),
  );
  return pages.flat().sort((a, b) => b.responded_at.localeCompare(a.responded_at)).slice(0, 10);
}

async function onboarding(api: Api, flows: Experience[]): Promise<{ name: string; started: number; completed: number }[]> {
  return Promise.all(
    flows.map(async (flow) => {
      const report = await api.get<Schemas["ProgressReport"]>(`/api/v1/flows/${flow.id}/progress`, { limit: 1 });
      const started = Object.values(report.summary).reduce((sum, count) => sum + count, 0);
      return { name: flow.name, started, completed: report.summary["completed"] ?? 0 };
    }),
  );
}

export async function renderOverview({ api, main }: PageContext): Promise<void> {
  const [{ rows: events, capped }, flows, surveys] = await Promise.all([
    collect<StoredEvent>(api, "/api/v1/events", { from: daysAgo(DAYS).toISOString() }, EVENT_CAP),
    listExperiences(api, "flow", { status: "live" }),
    listExperiences(api, "survey", { status: "live" }),
  ]);
  const [answers, progress] = await Promise.all([latestAnswers(api, surveys), onboarding(api, flows)]);
  const daily = perDay(events, capped);
  const persons = new Set(events.map((event) => event.personId).filter(Boolean)).size;
  replace(
    main,
    h("h1", {}, "Overview"),
    h(
      "div",
      { class: "figures" },
      figure(`Events, last ${DAYS} days`, number(events.length), capped ? `the first ${number(EVENT_CAP)}, up to ${daily.labels[daily.labels.length - 1] ?? "today"}` : undefined),
      figure("Active persons", number(persons)),
      figure("Live flows", number(flows.length)),
      figure("Live surveys", number(surveys.length)),
    ),
    card(
      "Activity per day",
      chart("Events and active persons per day", {
        type: "line",
        data: { labels: daily.labels, datasets: [series("Events", daily.counts, 0), series("Active persons", daily.persons, 1)] },
      }),
    ),
    h(
      "div",
      { class: "columns" },
      card(
        "Top events",
        dataTable(
          [
            { label: "Event", value: (row) => row.name },
            { label: "Count", value: (row) => row.count, cell: (row) => number(row.count), numeric: true },
            { label: "Persons", value: (row) => row.persons, cell: (row) => number(row.persons), numeric: true },
          ],
          topEvents(events),
          { pageSize: 10, empty: "No events in this period." },
        ),
      ),
      card(
        "Onboarding",
        dataTable(
          [
            { label: "Flow", value: (row) => row.name },
            { label: "Started", value: (row) => row.started, cell: (row) => number(row.started), numeric: true },
            { label: "Completed", value: (row) => (row.started ? row.completed / row.started : null), cell: (row) => `${number(row.completed)} (${percent(row.started ? row.completed / row.started : null, 0)})`, numeric: true },
          ],
          progress,
          { pageSize: 10, empty: "No live flows." },
        ),
      ),
    ),
    card(
      "Latest survey answers",
      dataTable(
        [
          { label: "When", value: (row) => row.responded_at, cell: (row) => dateTime(row.responded_at) },
          { label: "Survey", value: (row) => row.survey },
          { label: "User", value: (row) => row.user_id ?? "" },
          { label: "Score", value: (row) => row.score, numeric: true },
          { label: "Answer", value: (row) => text(row.text) },
        ],
        answers,
        { pageSize: 10, empty: "No answers in this period." },
      ),
    ),
  );
}

// Survey results: score over time with its 95% band, distribution, segments, response
// rate, and the answers with their open text (filterable, exportable as CSV).

import { type Api, collect, type Schemas } from "../api";
import { band, bars, chart, series } from "../charts";
import { card, field, figure, h, notice, replace } from "../dom";
import { type Experience, listExperiences } from "../experiences";
import { dateTime, daysAgo, number, percent, text } from "../format";
import type { PageContext } from "../router";
import { dataTable } from "../table";

const ANSWER_CAP = 5000;
const Z_95 = 1.959964;

/** What the overall score, each period and each segment have in common. */
type Figures = Pick<Schemas["Scores"], "n" | "low_sample" | "nps" | "csat" | "ces">;
type Scores = Schemas["Scores"];
type Answer = Schemas["Response"];

interface Filters {
  days: number;
  interval: string;
  segment: string;
}

/** The headline value and its 95% interval, whatever the survey type. */
function headline(type: string, figures: Figures): { value: number | null; low: number | null; high: number | null } {
  if (type === "nps" && figures.nps) return { value: figures.nps.score, low: figures.nps.ci95[0], high: figures.nps.ci95[1] };
  const mean = type === "csat" ? figures.csat : figures.ces;
  if (!mean || mean.mean === null) return { value: null, low: null, high: null };
  const margin = mean.stdev === null ? 0 : (Z_95 * mean.stdev) / Math.sqrt(figures.n);
  return { value: mean.mean, low: mean.mean - margin, high: mean.mean + margin };
}

function scoreText(type: string, figures: Figures): string {
  const { value, low, high } = headline(type, figures);
  if (value === null) return "–";
  const digits = type === "nps" ? 0 : 2;
  return `${number(value, digits)} (95%: ${number(low, digits)} to ${number(high, digits)})`;
}

function summary(scores: Scores): HTMLElement {
  const label = { nps: "NPS", csat: "CSAT (mean)", ces: "CES (mean)" }[scores.type] ?? "Score";
  const share =
    scores.type === "nps" && scores.nps
      ? figure("Promoters / passives / detractors", `${scores.nps.promoters} / ${scores.nps.passives} / ${scores.nps.detractors}`)
      : scores.type === "csat"
        ? figure("Satisfied", percent(scores.csat?.satisfied_share))
        : figure("High effort", percent(scores.ces?.high_effort_share));
  return h(
    "div",
    { class: "figures" },
    figure(label, scoreText(scores.type, scores), scores.low_sample ? "low sample: fewer than 30 answers" : undefined),
    figure("Answers (n)", number(scores.n)),
    share,
    figure("Response rate", percent(scores.response_rate.rate), `${scores.response_rate.responded} of ${scores.response_rate.shown} shown`),
  );
}

function trendChart(scores: Scores): HTMLElement {
  const trend = scores.trend ?? [];
  const points = trend.map((period) => headline(scores.type, period));
  return chart("Score over time with its 95% interval", {
    type: "line",
    data: {
      labels: trend.map((period) => period.period),
      datasets: [
        ...band("95% interval", points.map((point) => point.low), points.map((point) => point.high)),
        series("Score", points.map((point) => point.value)),
      ],
    },
    options: { plugins: { legend: { labels: { filter: (item) => !item.text.includes("interval") } } } },
  });
}

function distribution(answers: Answer[]): HTMLElement {
  const counts = new Map<number, number>();
  for (const answer of answers) if (answer.score !== null) counts.set(answer.score, (counts.get(answer.score) ?? 0) + 1);
  const scores = [...counts.keys()].sort((a, b) => a - b);
  return chart("Distribution of answers by score", {
    type: "bar",
    data: { labels: scores.map(String), datasets: [bars("Answers", scores.map((score) => counts.get(score) ?? 0))] },
    options: { plugins: { legend: { display: false } } },
  });
}

function segmentTable(scores: Scores): HTMLElement {
  return dataTable(
    [
      { label: "Value", value: (row) => row.value ?? "(none)" },
      { label: "n", value: (row) => row.n, numeric: true },
      { label: "Score", value: (row) => headline(scores.type, row).value, cell: (row) => scoreText(scores.type, row), numeric: true },
      { label: "", value: (row) => (row.low_sample ? "low sample" : "") },
    ],
    scores.segments ?? [],
    { pageSize: 10, empty: "No answers in this period." },
  );
}

function answersTable(answers: Answer[]): HTMLElement {
  const box = h("div");
  const search = h("input", { type: "search", placeholder: "Words in the answer or user id" });
  const withText = h("input", { type: "checkbox" });
  const render = (): void => {
    const needle = search.value.trim().toLowerCase();
    const shown = answers.filter(
      (answer) =>
        (!withText.checked || Boolean(answer.text)) &&
        (!needle || `${answer.text ?? ""} ${answer.user_id ?? ""} ${text(answer.answers)}`.toLowerCase().includes(needle)),
    );
    replace(
      box,
      dataTable(
        [
          { label: "When", value: (row) => row.responded_at, cell: (row) => dateTime(row.responded_at) },
          { label: "User", value: (row) => row.user_id ?? "" },
          { label: "Score", value: (row) => row.score, numeric: true },
          { label: "Dimension", value: (row) => row.dimension ?? "" },
          { label: "Answer", value: (row) => row.text ?? "" },
          { label: "Other answers", value: (row) => text(row.answers) },
          { label: "Counted", value: (row) => (row.eligible ? "yes" : "no (not due)") },
        ],
        shown,
        { pageSize: 20, empty: "No answers match." },
      ),
    );
  };
  search.addEventListener("input", render);
  withText.addEventListener("change", render);
  render();
  return h("div", {}, h("div", { class: "toolbar" }, field("Filter", search), h("label", { class: "check" }, withText, "Only with text")), box);
}

function filtersForm(context: PageContext, survey: Experience, filters: Filters): HTMLElement {
  const days = h("select", {}, ...[7, 30, 90, 365].map((value) => h("option", { value, selected: value === filters.days }, `Last ${value} days`)));
  const interval = h("select", {}, ...["day", "week", "month"].map((value) => h("option", { value, selected: value === filters.interval }, value)));
  const segment = h("input", { type: "text", value: filters.segment, placeholder: "plan, account.industry", list: "segment-suggestions" });
  const apply = (event: Event): void => {
    event.preventDefault();
    const query = new URLSearchParams({ days: days.value, interval: interval.value, segment: segment.value.trim() });
    context.navigate(`/surveys/${survey.id}?${query}`);
  };
  const suggestions = h("datalist", { id: "segment-suggestions" }, ...["plan", "industry", "size", "account.plan", "account.industry", "account.size"].map((value) => h("option", { value })));
  return h(
    "form",
    { class: "toolbar", onsubmit: apply },
    field("Period", days),
    field("Trend by", interval),
    field("Segment by trait", segment),
    suggestions,
    h("button", { type: "submit" }, "Apply"),
  );
}

async function loadResults(api: Api, survey: Experience, filters: Filters): Promise<{ scores: Scores; answers: Answer[]; capped: boolean }> {
  const from = daysAgo(filters.days).toISOString();
  const [scores, { rows, capped }] = await Promise.all([
    api.get<Scores>(`/api/v1/surveys/${survey.id}/scores`, { from, interval: filters.interval, segment_by: filters.segment || null }),
    collect<Answer>(api, `/api/v1/surveys/${survey.id}/responses`, { from }, ANSWER_CAP),
  ]);
  const latestFirst = rows.sort((a, b) => b.responded_at.localeCompare(a.responded_at));
  return { scores, answers: latestFirst, capped };
}

export async function renderSurveys(context: PageContext): Promise<void> {
  const { api, main, params, query } = context;
  const surveys = await listExperiences(api, "survey");
  const survey = surveys.find((candidate) => candidate.id === params[0]) ?? surveys[0];
  if (!survey) {
    replace(main, h("h1", {}, "Survey results"), notice("info", "No surveys yet. Create one under Flows & surveys."));
    return;
  }
  const filters: Filters = { days: Number(query.get("days") ?? 90), interval: query.get("interval") ?? "week", segment: query.get("segment") ?? "" };
  const picker = h(
    "select",
    { "aria-label": "Survey", onchange: (event: Event) => context.navigate(`/surveys/${(event.target as HTMLSelectElement).value}`) },
    ...surveys.map((candidate) => h("option", { value: candidate.id, selected: candidate.id === survey.id }, `${candidate.name} (${candidate.type.toUpperCase()}, ${candidate.status})`)),
  );
  const { scores, answers, capped } = await loadResults(api, survey, filters);
  const exportCsv = h("button", { type: "button", onclick: () => void api.download(`/api/v1/surveys/${survey.id}/responses`, { format: "csv", from: daysAgo(filters.days).toISOString() }, `answers-${survey.name}.csv`) }, "Export answers (CSV)");
  replace(
    main,
    h("h1", {}, "Survey results"),
    h("div", { class: "toolbar" }, field("Survey", picker), exportCsv),
    filtersForm(context, survey, filters),
    summary(scores),
    h("div", { class: "columns" }, card("Score over time", trendChart(scores)), card("Distribution", distribution(answers))),
    filters.segment ? card(`By ${filters.segment}`, segmentTable(scores)) : null,
    card("Answers", capped ? notice("info", `Showing the first ${number(ANSWER_CAP)} answers of the period; the CSV has them all.`) : null, answersTable(answers)),
  );
}

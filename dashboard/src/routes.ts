// The pages, in navigation order. A page is listed only once the API it reads exists.

import type { PageContext } from "./router";
import { renderAccounts } from "./pages/accounts";
import { renderEditor } from "./pages/editor";
import { renderExperiences } from "./pages/experiences";
import { renderFunnel } from "./pages/funnel";
import { renderOverview } from "./pages/overview";
import { renderSettings } from "./pages/settings";
import { renderSurveys } from "./pages/surveys";
import { renderTtv } from "./pages/ttv";
import { renderWebhooks } from "./pages/webhooks";

export interface Route {
  name: string;
  title: string;
  nav: boolean;
  render: (context: PageContext) => Promise<void>;
}

export const ROUTES: Route[] = [
  { name: "", title: "Overview", nav: true, render: renderOverview },
  { name: "funnels", title: "Funnels", nav: true, render: renderFunnel },
  { name: "ttv", title: "Time to value", nav: true, render: renderTtv },
  { name: "surveys", title: "Survey results", nav: true, render: renderSurveys },
  { name: "experiences", title: "Flows & surveys", nav: true, render: renderExperiences },
  { name: "edit", title: "Editor", nav: false, render: renderEditor },
  { name: "accounts", title: "Accounts", nav: true, render: renderAccounts },
  { name: "webhooks", title: "Webhooks", nav: true, render: renderWebhooks },
  { name: "settings", title: "Settings", nav: true, render: renderSettings },
];

// The signed-in shell: header with project switcher, theme and sign-out; navigation; and
// a small router over /dashboard/<page>/<id…> that renders one page at a time.

import { Api, type ProjectRef, type Session, describe } from "./api";
import { h, notice, replace } from "./dom";
import { toggleTheme } from "./theme";
import { BASE, link } from "./router";
import { ROUTES, type Route } from "./routes";

const PROJECT_KEY = "waypost.project";

function chooseProject(session: Session, query: URLSearchParams): ProjectRef | null {
  const wanted = query.get("project") ?? localStorage.getItem(PROJECT_KEY);
  const found = session.projects.find((project) => project.id === wanted);
  if (query.get("project") && !found) return { id: query.get("project")!, name: "(not yours)" };
  return found ?? session.projects[0] ?? null;
}

function match(path: string): { route: Route; params: string[] } | null {
  const parts = path.replace(/^\/+|\/+$/g, "").split("/").filter(Boolean);
  const name = parts[0] ?? "";
  const route = ROUTES.find((candidate) => candidate.name === name);
  return route ? { route, params: parts.slice(1).map(decodeURIComponent) } : null;
}

export function startApp(root: HTMLElement, session: Session, onSignOut: () => void): void {
  const query = new URLSearchParams(location.search);
  const project = chooseProject(session, query);
  if (!project) {
    replace(root, h("main", { class: "solo" }, h("h1", {}, "No project yet"), notice("info", `${session.email} does not belong to any project. Ask an administrator to run: waypost user add-project --email ${session.email} --project <id>`)));
    return;
  }
  const api = new Api(session, project);
  const main = h("main", { id: "main", tabindex: -1 });
  const nav = h("nav", { class: "sidebar", "aria-label": "Pages" });

  const navigate = (path: string): void => {
    history.pushState(null, "", `${BASE}${path}`);
    void show();
  };

  const renderNav = (current: string): void => {
    const items = ROUTES.filter((route) => route.nav).map((route) => {
      const anchor = link(`/${route.name}`, navigate, route.title);
      if (route.name === current) anchor.setAttribute("aria-current", "page");
      return h("li", {}, anchor);
    });
    replace(nav, h("ul", {}, ...items));
  };

  const leaving: (() => void)[] = [];
  const onLeave = (cleanup: () => void): void => void leaving.push(cleanup);

  async function show(): Promise<void> {
    leaving.splice(0).forEach((cleanup) => cleanup());
    const found = match(location.pathname.slice(BASE.length));
    const routeName = found?.route.name ?? "";
    renderNav(routeName);
    replace(main, h("p", { class: "loading" }, "Loading…"));
    if (!found) {
      replace(main, h("h1", {}, "Not found"), notice("error", "There is no such page."));
      return;
    }
    document.title = `${found.route.title} · ${project!.name} · Waypost`;
    try {
      await found.route.render({ api, main, params: found.params, query: new URLSearchParams(location.search), navigate, onLeave });
    } catch (error) {
      replace(main, h("h1", {}, found.route.title), notice("error", describe(error)));
    }
  }

  const switcher = h(
    "select",
    { id: "project", "aria-label": "Project", onchange: (event: Event) => {
      localStorage.setItem(PROJECT_KEY, (event.target as HTMLSelectElement).value);
      location.href = `${BASE}/`;
    } },
    ...session.projects.map((candidate) => h("option", { value: candidate.id, selected: candidate.id === project.id }, candidate.name)),
  );
  const signOut = async (): Promise<void> => {
    await api.signOut();
    onSignOut();
  };
  const header = h(
    "header",
    { class: "topbar" },
    h("a", { class: "brand", href: `${BASE}/` }, "Waypost"),
    switcher,
    h("span", { class: "spacer" }),
    h("button", { type: "button", class: "ghost", onclick: () => { toggleTheme(); void show(); } }, "Theme"),
    h("span", { class: "who" }, session.email),
    h("button", { type: "button", class: "ghost", onclick: () => void signOut() }, "Sign out"),
  );
  replace(root, h("a", { class: "skip", href: "#main" }, "Skip to content"), header, h("div", { class: "layout" }, nav, main));
  window.onpopstate = () => void show();
  void show();
}

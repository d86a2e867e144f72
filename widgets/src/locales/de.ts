// German.
import type { Table } from "../i18n";

const table: Table = {
  next: "Weiter",
  back: "Zurück",
  done: "Fertig",
  close: "Schließen",
  of: "{0} von {1}",
  send: "Senden",
  thanks: "Danke für Ihr Feedback!",
  nps_low: "Überhaupt nicht wahrscheinlich",
  nps_high: "Äußerst wahrscheinlich",
  csat_q: "Wie zufrieden sind Sie?",
  csat_low: "Sehr unzufrieden",
  csat_high: "Sehr zufrieden",
  ces_q: "Wie einfach war es, das Gewünschte zu erreichen?",
  ces_low: "Sehr einfach",
  ces_high: "Sehr schwierig",
  yes: "Zufrieden",
  no: "Unzufrieden",
  product: "Das Produkt",
  service: "Unser Service",
  checklist: "Erste Schritte",
  all_done: "Alles erledigt!",
  help: "Hilfe",
  answer: "Ihre Antwort",
  dismiss: "Ausblenden",
  news: "Neuigkeiten",
  lists: "Ihre Checklisten",
  new: "Neu",
  more: "Mehr erfahren",
};
export default table;

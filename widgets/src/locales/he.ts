// Hebrew.
import type { Table } from "../i18n";

const table: Table = {
  next: "הבא",
  back: "הקודם",
  done: "סיום",
  close: "סגירה",
  of: "{0} מתוך {1}",
  send: "שליחה",
  thanks: "תודה על המשוב!",
  nps_low: "בכלל לא סביר",
  nps_high: "סביר מאוד",
  csat_q: "עד כמה אתם מרוצים?",
  csat_low: "לא מרוצה בכלל",
  csat_high: "מרוצה מאוד",
  ces_q: "כמה קל היה להשיג את מה שהייתם צריכים?",
  ces_low: "קל מאוד",
  ces_high: "קשה מאוד",
  yes: "מרוצה",
  no: "לא מרוצה",
  product: "המוצר",
  service: "השירות שלנו",
  checklist: "צעדים ראשונים",
  all_done: "הכול הושלם!",
  help: "עזרה",
  answer: "התשובה שלך",
  dismiss: "הסתרה",
  news: "מה חדש",
  lists: "רשימות המשימות שלך",
  new: "חדש",
  more: "למידע נוסף",
};
export default table;

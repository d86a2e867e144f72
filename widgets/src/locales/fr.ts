// French.
import type { Table } from "../i18n";

const table: Table = {
  next: "Suivant",
  back: "Retour",
  done: "Terminer",
  close: "Fermer",
  of: "{0} sur {1}",
  send: "Envoyer",
  thanks: "Merci pour votre avis !",
  nps_low: "Pas du tout probable",
  nps_high: "Très probable",
  csat_q: "Quel est votre niveau de satisfaction ?",
  csat_low: "Très insatisfait",
  csat_high: "Très satisfait",
  ces_q: "Était-il facile d’obtenir ce dont vous aviez besoin ?",
  ces_low: "Très facile",
  ces_high: "Très difficile",
  yes: "Satisfait",
  no: "Insatisfait",
  product: "Le produit",
  service: "Notre service",
  checklist: "Premiers pas",
  all_done: "Tout est fait !",
  help: "Aide",
  answer: "Votre réponse",
  dismiss: "Masquer",
  news: "Nouveautés",
  lists: "Vos listes de tâches",
  new: "Nouveau",
  more: "En savoir plus",
};
export default table;

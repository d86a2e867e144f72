// Spanish.
import type { Table } from "../i18n";

const table: Table = {
  next: "Siguiente",
  back: "Atrás",
  done: "Hecho",
  close: "Cerrar",
  of: "{0} de {1}",
  send: "Enviar",
  thanks: "¡Gracias por tus comentarios!",
  nps_low: "Nada probable",
  nps_high: "Muy probable",
  csat_q: "¿Qué tan satisfecho estás?",
  csat_low: "Muy insatisfecho",
  csat_high: "Muy satisfecho",
  ces_q: "¿Qué tan fácil fue conseguir lo que necesitabas?",
  ces_low: "Muy fácil",
  ces_high: "Muy difícil",
  yes: "Satisfecho",
  no: "Insatisfecho",
  product: "El producto",
  service: "Nuestro servicio",
  checklist: "Primeros pasos",
  all_done: "¡Todo listo!",
  help: "Ayuda",
  answer: "Tu respuesta",
  dismiss: "Descartar",
  news: "Novedades",
  lists: "Tus listas de tareas",
  new: "Nuevo",
  more: "Más información",
};
export default table;
